//! Account discovery: which accounts of a restored seed have ever been used, found by a gap scan. Pure: the caller
//! answers "was account *n* ever used" (a front end asks the network process: any history, or any balance) and
//! this module decides which accounts to ask about and when to stop.
//!
//! # The rule
//!
//! Accounts are scanned from 0 upward; the scan stops after `gap` unused accounts in a row, so every used account
//! with fewer than `gap` unused accounts before it is found. With `gap = 1` this is BIP-44's own rule ("Account
//! discovery", bitcoin/bips bip-0044.mediawiki: derive account 0, scan it, and if it has no transactions stop;
//! otherwise go on with the next account: *software should prevent the creation of an account if the previous one
//! has no transaction history*). A wallet that lets its user add accounts freely (as Coffer's Accounts screen,
//! Phantom and Solflare do) can leave an unused account between used ones, so Coffer defaults to a gap of
//! [`DEFAULT_GAP`]. The chains' own wallets differ: the IOTA wallet's balance finder (iotaledger/iota
//! `apps/wallet`, `accounts-finder`) scans account indexes with an account gap limit and lets the user search
//! further; the Sui wallet offers the same "search again" for imported seeds; Solana wallets scan a fixed range of
//! account indexes on import and show those with a balance or history; Stellar wallets import account 0 and let the
//! user add the next ones.
//!
//! Only the account level is scanned (`m/44'/coin'/account'/…` with the chain's usual tail): the chains' wallets
//! number accounts there, not by address index.

/// The gap used when none is given: up to four unused accounts between used ones are crossed.
pub const DEFAULT_GAP: u32 = 5;
/// The largest gap accepted (each account costs network questions).
pub const MAX_GAP: u32 = 100;
/// The scan never looks past this account, whatever the answers (a lying endpoint cannot make it run forever).
pub const MAX_ACCOUNT: u32 = 255;

/// What a scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// The accounts found used, ascending.
    pub used: Vec<u32>,
    /// The account after the last one asked about: accounts from the scan's first (0 for [`scan`]) to
    /// `scanned - 1` were asked about.
    pub scanned: u32,
    /// The scan stopped at [`MAX_ACCOUNT`] rather than after `gap` unused accounts.
    pub capped: bool,
}

/// Why a scan failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError<E> {
    /// The gap is 0 or above [`MAX_GAP`].
    #[error("the gap must be 1 to {max}", max = MAX_GAP)]
    BadGap,
    /// Asking about an account failed; the accounts found before it are kept.
    #[error("account {account}: {error}")]
    Ask {
        /// The account asked about.
        account: u32,
        /// Why.
        error: E,
        /// What was found before.
        found: Discovery,
    },
}

/// Scans accounts from 0 with `used(n)` answering whether account `n` was ever used, and stops after `gap` unused
/// accounts in a row (or at [`MAX_ACCOUNT`]).
///
/// # Errors
/// [`DiscoverError::BadGap`] for a gap of 0 or above [`MAX_GAP`]; [`DiscoverError::Ask`] with the first error of
/// `used` (and what was found before it).
pub fn scan<E>(gap: u32, used: impl FnMut(u32) -> Result<bool, E>) -> Result<Discovery, DiscoverError<E>> {
    scan_from(0, gap, used)
}

/// As [`scan`], from account `first` upward: the gap scan past accounts already known (a migration plan's accounts
/// 0 to 4 are swept whether used or not, so the scan for what lies beyond starts at the first account not planned,
/// and an unused account 0 to 4 does not end it before it has looked past them). Accounts below `first` are not
/// asked about. A `first` above [`MAX_ACCOUNT`] asks nothing and returns a capped, empty discovery.
///
/// # Errors
/// As [`scan`].
pub fn scan_from<E>(
    first: u32,
    gap: u32,
    mut used: impl FnMut(u32) -> Result<bool, E>,
) -> Result<Discovery, DiscoverError<E>> {
    if gap == 0 || gap > MAX_GAP {
        return Err(DiscoverError::BadGap);
    }
    let mut found = Discovery { scanned: first, ..Discovery::default() };
    let mut unused_run = 0;
    let mut account = first;
    while unused_run < gap {
        if account > MAX_ACCOUNT {
            found.capped = true;
            break;
        }
        match used(account) {
            Ok(true) => {
                found.used.push(account);
                unused_run = 0;
            }
            Ok(false) => unused_run += 1,
            Err(error) => return Err(DiscoverError::Ask { account, error, found }),
        }
        account += 1;
        found.scanned = account;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn run(gap: u32, used: &[u32]) -> Discovery {
        scan::<()>(gap, |n| Ok(used.contains(&n))).unwrap()
    }

    #[test]
    fn a_gap_of_one_is_bip44s_rule() {
        // BIP-44 stops at the first account without history: account 2 behind an unused 1 is not found.
        assert_eq!(run(1, &[0, 2]), Discovery { used: vec![0], scanned: 2, capped: false });
        assert_eq!(run(1, &[]), Discovery { used: vec![], scanned: 1, capped: false });
    }

    #[test]
    fn a_wider_gap_crosses_unused_accounts() {
        assert_eq!(run(2, &[0, 2]), Discovery { used: vec![0, 2], scanned: 5, capped: false });
        assert_eq!(run(2, &[0, 3]).used, vec![0]);
        assert_eq!(run(3, &[0, 3]).used, vec![0, 3]);
        // An unused account 0 does not end a scan with a gap above 1.
        assert_eq!(run(5, &[4]), Discovery { used: vec![4], scanned: 10, capped: false });
    }

    #[test]
    fn the_scan_is_bounded_and_errors_keep_what_was_found() {
        let all = scan::<()>(1, |_| Ok(true)).unwrap();
        assert!(all.capped);
        assert_eq!(all.used.len(), MAX_ACCOUNT as usize + 1);
        assert_eq!(scan::<()>(0, |_| Ok(true)), Err(DiscoverError::BadGap));
        assert_eq!(scan::<()>(MAX_GAP + 1, |_| Ok(true)), Err(DiscoverError::BadGap));
        let e = scan(3, |n| if n == 2 { Err("down") } else { Ok(n == 0) }).unwrap_err();
        assert_eq!(
            e,
            DiscoverError::Ask {
                account: 2,
                error: "down",
                found: Discovery { used: vec![0], scanned: 2, capped: false }
            }
        );
    }

    #[test]
    fn a_scan_from_a_later_account_looks_past_the_known_ones() {
        // A plan of accounts 0-4: the scan starts at 5, and an unused 0-4 does not end it before account 7.
        let mut asked = Vec::new();
        let d = scan_from::<()>(5, 5, |n| {
            asked.push(n);
            Ok(n == 7)
        })
        .unwrap();
        assert_eq!(d, Discovery { used: vec![7], scanned: 13, capped: false });
        assert_eq!(asked, (5..13).collect::<Vec<_>>(), "nothing below the first account is asked about");
        // From 0 with the same answers a gap of 5 stops at account 4: account 7 is not found.
        assert!(scan::<()>(5, |n| Ok(n == 7)).unwrap().used.is_empty());
        // Bounded as the scan from 0.
        let late = scan_from::<()>(MAX_ACCOUNT - 1, 5, |_| Ok(true)).unwrap();
        assert_eq!(
            late,
            Discovery { used: vec![MAX_ACCOUNT - 1, MAX_ACCOUNT], scanned: MAX_ACCOUNT + 1, capped: true }
        );
        assert_eq!(
            scan_from::<()>(MAX_ACCOUNT + 1, 5, |_| Ok(true)).unwrap(),
            Discovery { used: vec![], scanned: MAX_ACCOUNT + 1, capped: true }
        );
        assert_eq!(scan_from::<()>(5, 0, |_| Ok(true)), Err(DiscoverError::BadGap));
    }
}

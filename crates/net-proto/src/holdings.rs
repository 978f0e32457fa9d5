//! What an account holds, fetched through coffer-net and converted into coffer-core's holdings model
//! ([`coffer_core::holdings`]): the one place the CLI (`coffer migrate sweep --online`) and the desktop app's
//! migration wizard turn the network's answers into the input of the sweep builders. Feature `holdings`.
//!
//! It lives here rather than in coffer-core (which must not know the protocol) or in a front end (the CLI is a
//! binary the app cannot use): it needs both the protocol's answers and the core's types, and only the processes
//! that build sweeps enable it (coffer-net itself does not).
//!
//! Every answer is untrusted: a value out of the chain's range is refused ([`FetchError::Lie`]); whatever the
//! answers say, the sweep builders check every address and the destination guard decides what is signed.

use coffer_core::holdings::iota_sui::{self as move_holdings, Coin as MoveCoin, CoinGroup, Holdings as MoveHoldings};
use coffer_core::holdings::solana::{self as sol, SolanaHoldings};
use coffer_core::holdings::stellar::{
    ClaimPredicate, StellarAsset, StellarClaimable, StellarHoldings, StellarOffer, StellarTrustline,
};
use coffer_core::migrate::{LeftBehind, StellarLeft};

use crate::client::{ClientError, NetClient};
use crate::{Amount, Call, Chain, Network, Reply};

/// Why the holdings could not be fetched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The network process or the endpoint failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The endpoint answered something that cannot be believed (another kind of answer, a value out of the chain's
    /// range).
    #[error("the endpoint's answer is not believed: {0}")]
    Lie(String),
}

fn lie(why: impl Into<String>) -> FetchError {
    FetchError::Lie(why.into())
}

fn other_reply() -> FetchError {
    lie("an answer of another kind")
}

fn u64_of(a: &Amount, what: &str) -> Result<u64, FetchError> {
    u64::try_from(a.value()).map_err(|_| lie(format!("{what} above 2^64")))
}

fn i64_of(a: &Amount, what: &str) -> Result<i64, FetchError> {
    i64::try_from(a.value()).map_err(|_| lie(format!("the {what} is out of Stellar's range")))
}

/// A Token-2022 mint's extensions as coffer-net reports them ([`Reply::TokenSupply`]'s `extensions`), in the core's
/// holdings model (the account's own fields, `withheld` and `confidential_balance`, left at none): what the sweep and
/// a token payment ([`coffer_core::send::build_solana_send`]) read of the mint.
///
/// # Errors
/// [`FetchError::Lie`] for a maximum fee above 2^64.
pub fn mint_extensions(m: &crate::MintExtensions) -> Result<sol::Token2022Extensions, FetchError> {
    Ok(sol::Token2022Extensions {
        transfer_fee: m
            .transfer_fee
            .as_ref()
            .map(|f| {
                Ok::<_, FetchError>(sol::TransferFee {
                    basis_points: f.basis_points,
                    maximum_fee: u64_of(&f.maximum_fee, "a maximum transfer fee")?,
                })
            })
            .transpose()?,
        non_transferable: m.non_transferable,
        transfer_hook: m.transfer_hook,
        transfer_hook_program: m.transfer_hook_program.clone(),
        default_frozen: m.default_frozen,
        pausable: m.pausable,
        paused: m.paused,
        ..Default::default()
    })
}

/// A Solana address's holdings, with the endpoint that reported its balance and a recent blockhash.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SolanaFetched {
    /// What the old address holds (its token accounts with their mints' decimals).
    pub holdings: SolanaHoldings,
    /// A recent blockhash (base58) to build the sweep on.
    pub blockhash: String,
    /// The endpoint that answered.
    pub endpoint: String,
}

/// Everything the Solana address `old` holds (SOL, SPL Token and Token-2022 accounts with their mints' decimals,
/// stake and nonce accounts), whether the new address's associated token accounts exist already (no rent is paid
/// for those) and are frozen (nothing can be moved into those), and a recent blockhash. `progress` is called after
/// each answer with (answered, asked so far).
///
/// # Errors
/// [`FetchError::Client`] when a question fails; [`FetchError::Lie`] for an answer of another kind or an amount
/// above 2^64.
pub fn solana(
    client: &mut NetClient,
    network: Network,
    old: &str,
    new: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<SolanaFetched, FetchError> {
    let chain = Chain::Solana;
    let mut asked = 6;
    let mut done = 0;
    let mut step = |extra: usize, asked: &mut usize| {
        *asked += extra;
        done += 1;
        progress(done, *asked);
    };
    let (reply, endpoint) = client.call(chain, network, Call::Balance { address: old.to_owned() })?;
    let Reply::Balance { amount, .. } = reply else { return Err(other_reply()) };
    let lamports = u64_of(&amount, "a balance")?;
    step(0, &mut asked);
    let token_accounts =
        solana_token_accounts(client, network, old, Some(new), None, &mut |extra| step(extra, &mut asked))?;
    let Reply::StakeAccounts { accounts: stakes, .. } =
        client.call(chain, network, Call::StakeAccounts { address: old.to_owned() })?.0
    else {
        return Err(other_reply());
    };
    step(0, &mut asked);
    let Reply::NonceAccounts { accounts: nonces, .. } =
        client.call(chain, network, Call::NonceAccounts { address: old.to_owned() })?.0
    else {
        return Err(other_reply());
    };
    step(0, &mut asked);
    let Reply::LatestBlockhash { blockhash, .. } = client.call(chain, network, Call::LatestBlockhash)?.0 else {
        return Err(other_reply());
    };
    step(0, &mut asked);
    let holdings = SolanaHoldings {
        address: old.to_owned(),
        lamports,
        token_accounts,
        stake_accounts: stakes
            .into_iter()
            .map(|s| {
                Ok(sol::StakeAccount {
                    lamports: u64_of(&s.lamports, "a stake account's lamports")?,
                    address: s.address,
                    staker: s.staker,
                    withdrawer: s.withdrawer,
                    lockup: s.lockup.map(|l| sol::StakeLockup {
                        unix_timestamp: l.unix_timestamp,
                        epoch: l.epoch,
                        custodian: l.custodian,
                    }),
                })
            })
            .collect::<Result<_, FetchError>>()?,
        nonce_accounts: nonces
            .into_iter()
            .map(|n| {
                Ok(sol::NonceAccount {
                    lamports: u64_of(&n.lamports, "a nonce account's lamports")?,
                    address: n.address,
                    authority: n.authority,
                    nonce: n.nonce,
                })
            })
            .collect::<Result<_, FetchError>>()?,
    };
    Ok(SolanaFetched { holdings, blockhash, endpoint: endpoint.unwrap_or_default() })
}

/// The token accounts of the Solana address `owner` (of `mint` only, when given), with their mints' decimals and
/// Token-2022 extensions (the mint's, and the account's withheld fees and confidential balance); with `destination`,
/// whether that address's associated token account for each mint exists (`destination_rent: Some(0)`: no rent is
/// paid for it) and is frozen (nothing can be moved into it). One fetch for the sweep, `coffer send` and the app's
/// Send page. `answered` is called after each answer with the number of questions that answer adds.
///
/// # Errors
/// [`FetchError::Client`] when a question fails; [`FetchError::Lie`] for an answer of another kind, a mint or
/// destination that is not an address, or an amount above 2^64.
pub fn solana_token_accounts(
    client: &mut NetClient,
    network: Network,
    owner: &str,
    destination: Option<&str>,
    mint: Option<&str>,
    answered: &mut dyn FnMut(usize),
) -> Result<Vec<sol::TokenAccount>, FetchError> {
    let chain = Chain::Solana;
    let Reply::Holdings { accounts, .. } = client.call(chain, network, Call::Holdings { address: owner.to_owned() })?.0
    else {
        return Err(other_reply());
    };
    let accounts: Vec<_> = accounts.into_iter().filter(|a| mint.is_none_or(|m| a.mint == m)).collect();
    let mints: std::collections::BTreeSet<&str> = accounts.iter().map(|a| a.mint.as_str()).collect();
    let mints = mints.len();
    answered(if destination.is_none() { mints } else { 0 });
    let (destination_key, destination_accounts) = match destination {
        Some(d) => {
            let Reply::Holdings { accounts: theirs, .. } =
                client.call(chain, network, Call::Holdings { address: d.to_owned() })?.0
            else {
                return Err(other_reply());
            };
            answered(mints);
            (Some(coffer_core::chain::solana::parse_address(d).map_err(|_| lie("the destination address"))?), theirs)
        }
        None => (None, Vec::new()),
    };
    let mut token_accounts = Vec::with_capacity(accounts.len());
    let mut decimals: Vec<(String, u8, Option<crate::MintExtensions>)> = Vec::new();
    for a in accounts {
        let program = match a.program {
            crate::TokenProgram::Token2022 => sol::TokenProgram::Token2022,
            _ => sol::TokenProgram::SplToken,
        };
        let (d, mint_ext) = match decimals.iter().find(|(m, _, _)| *m == a.mint) {
            Some((_, d, e)) => (*d, e.clone()),
            None => {
                let Reply::TokenSupply { decimals: d, extensions, .. } =
                    client.call(chain, network, Call::TokenSupply { mint: a.mint.clone() })?.0
                else {
                    return Err(other_reply());
                };
                decimals.push((a.mint.clone(), d, extensions.clone()));
                answered(0);
                (d, extensions)
            }
        };
        let destination = match destination_key {
            Some(key) => {
                let mint = coffer_core::chain::solana::parse_address(&a.mint).map_err(|_| lie("a mint"))?;
                let ata = coffer_core::migrate::associated_token_address(&key, &mint, program)
                    .map(|k| coffer_core::sign::solana::base58(&k))
                    .unwrap_or_default();
                destination_accounts.iter().find(|n| n.address == ata)
            }
            None => None,
        };
        let withheld = a.withheld.as_ref().map(|w| u64_of(w, "a withheld fee")).transpose()?.unwrap_or(0);
        let of_mint = mint_ext.as_ref().map(mint_extensions).transpose()?.unwrap_or_default();
        let ext = sol::Token2022Extensions { withheld, confidential_balance: a.confidential_balance, ..of_mint };
        let token_2022 =
            (program == sol::TokenProgram::Token2022 && ext != sol::Token2022Extensions::default()).then_some(ext);
        token_accounts.push(sol::TokenAccount {
            address: a.address,
            mint: a.mint,
            program,
            amount: u64_of(&a.amount, "a token amount")?,
            decimals: d,
            lamports: 0,
            destination_rent: destination.is_some().then_some(0),
            frozen: a.frozen,
            destination_frozen: destination.is_some_and(|n| n.frozen),
            close_authority: a.close_authority,
            token_2022,
        });
    }
    Ok(token_accounts)
}

/// The old and the new Stellar account's holdings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StellarFetched {
    /// The old account: balances, trustlines, offers, data entries and the claimable balances it may claim.
    pub old: StellarHoldings,
    /// The new account (whether it exists, its trustlines).
    pub new: StellarHoldings,
    /// Claimable balances whose predicate the endpoint did not report: never claimed blind (a claim not allowed yet
    /// would make the whole transaction fail). Add them to the plan's `left`.
    pub unclaimed: Vec<StellarLeft>,
    /// The endpoint that answered.
    pub endpoint: String,
}

/// Converts an account answer of coffer-net into holdings (the claimable balances separately).
///
/// # Errors
/// [`FetchError::Lie`] for an amount out of Stellar's range or an asset that does not parse.
pub fn stellar_account(
    address: &str,
    account: Option<&crate::StellarAccount>,
    offers: &[crate::Offer],
) -> Result<StellarHoldings, FetchError> {
    let Some(a) = account else {
        return Ok(StellarHoldings { address: address.to_owned(), ..StellarHoldings::default() });
    };
    let mut trustlines = Vec::with_capacity(a.trustlines.len());
    for t in &a.trustlines {
        trustlines.push(match t {
            crate::Trustline::Credit { code, issuer, balance, limit } => StellarTrustline::Credit {
                code: code.clone(),
                issuer: issuer.clone(),
                balance: i64_of(balance, "trustline balance")?,
                limit: i64_of(limit, "trustline limit")?,
                authorized: true,
                auth_required: false,
            },
            crate::Trustline::PoolShares { pool_id, balance, .. } => {
                StellarTrustline::PoolShares { pool_id: pool_id.clone(), balance: i64_of(balance, "pool shares")? }
            }
        });
    }
    let asset = |t: &str| StellarAsset::parse(t).map_err(|_| lie("an asset"));
    let mut out_offers = Vec::with_capacity(offers.len());
    for o in offers {
        out_offers.push(StellarOffer {
            id: o.id,
            selling: asset(&o.selling)?,
            buying: asset(&o.buying)?,
            amount: i64_of(&o.amount, "offer amount")?,
            price_n: i32::try_from(o.price_n).map_err(|_| lie("a price"))?,
            price_d: i32::try_from(o.price_d).map_err(|_| lie("a price"))?,
        });
    }
    Ok(StellarHoldings {
        address: address.to_owned(),
        exists: true,
        sequence: i64_of(&a.sequence, "sequence")?,
        native: i64_of(&a.balance, "balance")?,
        trustlines,
        offers: out_offers,
        data: a.data.iter().map(|d| d.name.clone()).collect(),
        claimable_balances: Vec::new(),
        subentry_count: a.subentry_count,
        num_sponsoring: a.num_sponsoring,
        num_sponsored: a.num_sponsored,
    })
}

/// A claim predicate of coffer-net as the core's.
fn claim_predicate(p: &crate::ClaimPredicate) -> ClaimPredicate {
    use crate::ClaimPredicate as N;
    match p {
        N::Unconditional => ClaimPredicate::Unconditional,
        N::And(v) => ClaimPredicate::And(v.iter().map(claim_predicate).collect()),
        N::Or(v) => ClaimPredicate::Or(v.iter().map(claim_predicate).collect()),
        N::Not(q) => ClaimPredicate::Not(Box::new(claim_predicate(q))),
        N::AbsBeforeEpoch(t) => ClaimPredicate::AbsBeforeEpoch(*t),
    }
}

/// The holdings of the old Stellar account (with its offers and the claimable balances it may claim) and of the
/// new one. `progress` is called after each answer with (answered, asked).
///
/// # Errors
/// [`FetchError::Client`] when a question fails; [`FetchError::Lie`] for an answer of another kind or a value out
/// of Stellar's range.
pub fn stellar(
    client: &mut NetClient,
    network: Network,
    old: &str,
    new: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<StellarFetched, FetchError> {
    let chain = Chain::Stellar;
    let mut done = 0;
    let mut endpoint = None;
    let mut fetch = |address: &str, with_offers: bool, done: &mut usize| -> Result<StellarHoldings, FetchError> {
        let (reply, from) = client.call(chain, network, Call::Account { address: address.to_owned() })?;
        endpoint = endpoint.take().or(from);
        let Reply::Account { account, .. } = reply else { return Err(other_reply()) };
        *done += 1;
        progress(*done, 4);
        let offers = if with_offers && account.is_some() {
            let (reply, _) = client.call(chain, network, Call::Offers { address: address.to_owned() })?;
            let Reply::Offers { offers, .. } = reply else { return Err(other_reply()) };
            offers
        } else {
            Vec::new()
        };
        if with_offers {
            *done += 1;
            progress(*done, 4);
        }
        stellar_account(address, account.as_ref(), &offers)
    };
    let mut old_h = fetch(old, true, &mut done)?;
    let new_h = fetch(new, false, &mut done)?;
    let (reply, _) = client.call(chain, network, Call::ClaimableBalances { address: old.to_owned() })?;
    let Reply::ClaimableBalances { balances, .. } = reply else { return Err(other_reply()) };
    progress(4, 4);
    let mut unclaimed = Vec::new();
    for b in &balances {
        match (b.predicate.as_ref().map(claim_predicate), StellarAsset::parse(&b.asset)) {
            (Some(predicate), Ok(asset)) => old_h.claimable_balances.push(StellarClaimable {
                id: b.id.clone(),
                asset,
                amount: i64::try_from(b.amount.value()).unwrap_or(i64::MAX),
                predicate,
            }),
            _ => unclaimed.push(StellarLeft {
                what: format!("claimable balance {} ({})", b.id, b.asset),
                amount: i64::try_from(b.amount.value()).ok(),
                reason: "the endpoint did not report when the old account may claim it (its predicate): claim it \
                         with a holdings-file sweep, then sweep again"
                    .to_owned(),
            }),
        }
    }
    Ok(StellarFetched { old: old_h, new: new_h, unclaimed, endpoint: endpoint.unwrap_or_default() })
}

/// An IOTA or Sui address's owned coins and objects and the network's reference gas price.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MoveFetched {
    /// The coins (grouped by type) and the other owned objects.
    pub holdings: MoveHoldings,
    /// What the network could not list completely (more than its 1000 items a list): add it to the sweep's
    /// `left`.
    pub incomplete: Vec<LeftBehind>,
    /// The reference gas price.
    pub reference_gas_price: u64,
    /// The endpoint that answered.
    pub endpoint: String,
}

/// Every coin (per type) and owned object of the IOTA or Sui `address`, and the reference gas price. `progress`
/// is called after each answer with (answered, asked so far).
///
/// # Errors
/// [`FetchError::Client`] when a question fails; [`FetchError::Lie`] for an answer of another kind or a coin
/// balance above 2^64.
pub fn move_chain(
    client: &mut NetClient,
    chain: Chain,
    network: Network,
    address: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<MoveFetched, FetchError> {
    let (reply, endpoint) = client.call(chain, network, Call::CoinBalances { address: address.to_owned() })?;
    let Reply::CoinBalances { balances, .. } = reply else { return Err(other_reply()) };
    let asked = balances.len() + 3;
    let mut done = 1;
    progress(done, asked);
    let mut holdings = MoveHoldings { address: address.to_owned(), coins: Vec::new(), objects: Vec::new() };
    let mut incomplete = Vec::new();
    let mut coin_ids = std::collections::BTreeSet::new();
    for b in balances {
        let call = Call::Coins { address: address.to_owned(), coin_type: b.coin_type.clone() };
        let Reply::Coins { coins, complete, .. } = client.call(chain, network, call)?.0 else {
            return Err(other_reply());
        };
        done += 1;
        progress(done, asked);
        if !complete {
            incomplete.push(LeftBehind {
                what: format!("the coins of {} beyond the first {}", b.coin_type, coins.len()),
                reason: "the network lists at most 1000 coins of a type: sweep again after this".into(),
            });
        }
        let mut group = CoinGroup { coin_type: b.coin_type, coins: Vec::with_capacity(coins.len()) };
        for c in coins {
            let balance = u64_of(&c.balance, "a coin balance")?;
            coin_ids.insert(c.object_id.clone());
            group.coins.push(MoveCoin { object_id: c.object_id, version: c.version, digest: c.digest, balance });
        }
        // What the total counts beyond the coin objects (Sui: a balance need not be held in coin objects) is not
        // in any transaction: said, not hidden.
        let in_coins: u128 = group.coins.iter().map(|c| u128::from(c.balance)).sum();
        if complete && b.total.value() > in_coins {
            incomplete.push(LeftBehind {
                what: format!("{} of {} not held in coin objects", b.total.value() - in_coins, group.coin_type),
                reason: "the network reports a total above its coin objects; the sweep moves coin objects only".into(),
            });
        }
        holdings.coins.push(group);
    }
    let Reply::OwnedObjects { objects, complete, .. } =
        client.call(chain, network, Call::OwnedObjects { address: address.to_owned() })?.0
    else {
        return Err(other_reply());
    };
    done += 1;
    progress(done, asked);
    if !complete {
        incomplete.push(LeftBehind {
            what: format!("the objects beyond the first {}", objects.len()),
            reason: "the network lists at most 1000 objects: sweep again after this".into(),
        });
    }
    let coin_prefix = crate::canonical_move_type("0x2::coin::Coin").unwrap_or_default() + "<";
    for o in objects {
        // Coins are listed by type above (Sui writes every address in full).
        let canonical = crate::canonical_move_type(&o.object_type).unwrap_or_default();
        if coin_ids.contains(&o.object_id) || canonical.starts_with(&coin_prefix) {
            continue;
        }
        // What the network says decides only what is tried: the guard still checks every command, and an object
        // without public transfer or a lock not yet ended is listed as left, with the reason.
        holdings.objects.push(move_holdings::OwnedObject {
            object_id: o.object_id,
            version: o.version,
            digest: o.digest,
            object_type: o.object_type,
            public_transfer: o.public_transfer,
            locked_until_ms: o.locked_until_ms,
        });
    }
    let Reply::ReferenceGasPrice { price } = client.call(chain, network, Call::ReferenceGasPrice)?.0 else {
        return Err(other_reply());
    };
    progress(asked, asked);
    Ok(MoveFetched {
        holdings,
        incomplete,
        reference_gas_price: u64::try_from(price.value()).unwrap_or(u64::MAX),
        endpoint: endpoint.unwrap_or_default(),
    })
}

/// What an IOTA or Sui payment needs, as the network reported it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MoveSendFetched {
    /// The sender's coins of the native coin (gas) and, for a token, of its type.
    pub holdings: MoveHoldings,
    /// The token's decimals from its coin metadata (`None`: the native coin, or a type without metadata).
    pub decimals: Option<u8>,
    /// Whether every coin was listed (at most 1000 a type are).
    pub complete: bool,
    /// The reference gas price.
    pub reference_gas_price: u64,
    /// The endpoint that answered.
    pub endpoint: String,
}

/// The coins an IOTA or Sui payment of `coin_type` (`None`: the native coin) from `address` spends: the native
/// coins (which pay the gas) and the token's, its decimals from its coin metadata, and the reference gas price.
///
/// # Errors
/// [`FetchError::Client`] when a question fails; [`FetchError::Lie`] for an answer of another kind or a coin
/// balance above 2^64.
pub fn move_send(
    client: &mut NetClient,
    chain: Chain,
    network: Network,
    address: &str,
    coin_type: Option<&str>,
) -> Result<MoveSendFetched, FetchError> {
    let native = match chain {
        Chain::Iota => move_holdings::IOTA_COIN_TYPE,
        _ => move_holdings::SUI_COIN_TYPE,
    };
    let token = coin_type.filter(|t| crate::canonical_move_type(t).ok() != crate::canonical_move_type(native).ok());
    let mut holdings = MoveHoldings { address: address.to_owned(), coins: Vec::new(), objects: Vec::new() };
    let mut endpoint = None;
    let mut complete = true;
    for t in std::iter::once(native).chain(token) {
        let call = Call::Coins { address: address.to_owned(), coin_type: t.to_owned() };
        let (reply, at) = client.call(chain, network, call)?;
        endpoint = endpoint.or(at);
        let Reply::Coins { coins, complete: all, .. } = reply else { return Err(other_reply()) };
        complete &= all;
        let mut group = CoinGroup { coin_type: t.to_owned(), coins: Vec::with_capacity(coins.len()) };
        for c in coins {
            let balance = u64_of(&c.balance, "a coin balance")?;
            group.coins.push(MoveCoin { object_id: c.object_id, version: c.version, digest: c.digest, balance });
        }
        holdings.coins.push(group);
    }
    let decimals = match token {
        None => None,
        Some(t) => {
            let Reply::CoinMetadata { metadata, .. } =
                client.call(chain, network, Call::CoinMetadata { coin_type: t.to_owned() })?.0
            else {
                return Err(other_reply());
            };
            metadata.map(|m| m.decimals)
        }
    };
    let Reply::ReferenceGasPrice { price } = client.call(chain, network, Call::ReferenceGasPrice)?.0 else {
        return Err(other_reply());
    };
    Ok(MoveSendFetched {
        holdings,
        decimals,
        complete,
        reference_gas_price: u64::try_from(price.value()).unwrap_or(u64::MAX),
        endpoint: endpoint.unwrap_or_default(),
    })
}

/// One coin type an IOTA or Sui address holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MoveAsset {
    /// The coin type as the network wrote it.
    pub coin_type: String,
    /// It is the chain's native coin (IOTA, SUI).
    pub native: bool,
    /// The total of its coins, in its smallest unit.
    pub total: u128,
    /// Its decimals and symbol from its coin metadata (`None`: it has none on this network). The symbol is
    /// untrusted: anyone can publish a coin called `SUI`.
    pub metadata: Option<(u8, String)>,
}

/// The coin types `address` holds, with their totals and coin metadata (the native coin first when held).
///
/// # Errors
/// [`FetchError::Client`] when a question fails; [`FetchError::Lie`] for an answer of another kind.
pub fn move_assets(
    client: &mut NetClient,
    chain: Chain,
    network: Network,
    address: &str,
) -> Result<Vec<MoveAsset>, FetchError> {
    let (reply, _) = client.call(chain, network, Call::CoinBalances { address: address.to_owned() })?;
    let Reply::CoinBalances { balances, .. } = reply else { return Err(other_reply()) };
    let native = crate::canonical_move_type(match chain {
        Chain::Iota => move_holdings::IOTA_COIN_TYPE,
        _ => move_holdings::SUI_COIN_TYPE,
    })
    .ok();
    let mut out = Vec::with_capacity(balances.len());
    for b in balances {
        let is_native = crate::canonical_move_type(&b.coin_type).ok() == native;
        let metadata = if is_native {
            Some((9, if chain == Chain::Iota { "IOTA" } else { "SUI" }.to_owned()))
        } else {
            let Reply::CoinMetadata { metadata, .. } =
                client.call(chain, network, Call::CoinMetadata { coin_type: b.coin_type.clone() })?.0
            else {
                return Err(other_reply());
            };
            metadata.map(|m| (m.decimals, m.symbol))
        };
        let asset = MoveAsset { coin_type: b.coin_type, native: is_native, total: b.total.value(), metadata };
        if is_native { out.insert(0, asset) } else { out.push(asset) }
    }
    Ok(out)
}

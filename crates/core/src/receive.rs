//! Payment requests: the URI a payer's wallet opens to pay an address a given amount, where the chain has one.
//!
//! - **Solana Pay** transfer requests (solana-labs/solana-pay `SPEC.md`, "Transfer Request"):
//!   `solana:<recipient>?amount=…&spl-token=…&label=…&message=…&memo=…`. The amount is in "user" units (SOL, not
//!   lamports; a token's UI amount), never in scientific notation, with a leading `0` below 1, and no more decimal
//!   places than SOL's 9 or the mint's decimals.
//! - **Stellar SEP-7** `pay` requests (stellar/stellar-protocol `ecosystem/sep-0007.md`, "Operation `pay`"):
//!   `web+stellar:pay?destination=…&amount=…&asset_code=…&asset_issuer=…&memo=…&memo_type=…&msg=…`, with
//!   `network_passphrase` for any network but the public one. Amounts have at most 7 decimal places (a stroop).
//!
//! IOTA and Sui have no payment-request URI their wallets agree on: [`payment_uri`] answers `None` for them, and a
//! front end shows the bare address.
//!
//! Values are percent-encoded as RFC 3986 query components: every byte but the unreserved `A–Z a–z 0–9 - . _ ~` is
//! written `%XX` (so a space is `%20`, as in both specs' examples, never `+`).

use crate::Chain;

/// SOL's decimal places (1 SOL = 10^9 lamports).
pub const SOL_DECIMALS: u8 = 9;
/// Lumens' decimal places (1 XLM = 10^7 stroops); every Stellar amount has 7.
pub const STELLAR_DECIMALS: u8 = 7;
/// The longest `msg` SEP-7 allows, in characters before encoding.
pub const SEP7_MAX_MSG: usize = 300;
/// The longest Stellar text memo, in bytes.
pub const STELLAR_MAX_TEXT_MEMO: usize = 28;
/// The longest label, message or memo Coffer puts in a Solana Pay request, in bytes (a QR code has room for
/// about 2,900 bytes; the spec sets no limit).
pub const SOLANA_PAY_MAX_TEXT: usize = 256;

/// Why a payment request cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The amount is not a plain decimal number (digits, at most one `.`; no sign, exponent or spaces).
    #[error("the amount {0:?} is not a decimal number such as 1.5")]
    NotANumber(String),
    /// The amount has more decimal places than the asset has.
    #[error("the amount has more than {decimals} decimal places")]
    TooPrecise {
        /// The asset's decimal places.
        decimals: u8,
    },
    /// The amount is above what the chain can hold.
    #[error("the amount is too large for this asset")]
    TooLarge,
    /// The amount is zero where the chain refuses a payment of zero (Stellar).
    #[error("the amount must be above zero")]
    Zero,
    /// The recipient (or a mint, an issuer) is not an address of the chain.
    #[error("{field} is not a {chain} address")]
    BadAddress {
        /// Which field.
        field: &'static str,
        /// The chain.
        chain: &'static str,
    },
    /// A text field is too long or holds control characters.
    #[error("{field} is too long (at most {max} bytes) or holds control characters")]
    BadText {
        /// Which field.
        field: &'static str,
        /// Its limit.
        max: usize,
    },
    /// A Stellar asset code is not 1 to 12 letters and digits.
    #[error("a Stellar asset code is 1 to 12 letters and digits")]
    BadAssetCode,
}

/// An amount in an asset's smallest unit, parsed from a decimal in the asset's units ("1.5" SOL is 1,500,000,000
/// lamports).
///
/// # Errors
/// [`ReceiveError::NotANumber`], [`ReceiveError::TooPrecise`], [`ReceiveError::TooLarge`] (above `max`).
pub fn parse_amount(text: &str, decimals: u8, max: u128) -> Result<u128, ReceiveError> {
    let not = || ReceiveError::NotANumber(text.chars().take(40).collect());
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if (whole.is_empty() && frac.is_empty())
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (text.contains('.') && frac.is_empty())
    {
        return Err(not());
    }
    let frac_trimmed = frac.trim_end_matches('0');
    if frac_trimmed.len() > usize::from(decimals) {
        return Err(ReceiveError::TooPrecise { decimals });
    }
    let scale = 10u128.checked_pow(u32::from(decimals)).ok_or(ReceiveError::TooLarge)?;
    let whole_trimmed = whole.trim_start_matches('0');
    if whole_trimmed.len() > 39 {
        return Err(ReceiveError::TooLarge);
    }
    let w: u128 =
        if whole_trimmed.is_empty() { 0 } else { whole_trimmed.parse().map_err(|_| ReceiveError::TooLarge)? };
    let f: u128 = if frac_trimmed.is_empty() {
        0
    } else {
        let digits: u128 = frac_trimmed.parse().map_err(|_| not())?;
        digits * 10u128.pow(u32::from(decimals) - u32::try_from(frac_trimmed.len()).map_err(|_| not())?)
    };
    let raw = w.checked_mul(scale).and_then(|v| v.checked_add(f)).ok_or(ReceiveError::TooLarge)?;
    if raw > max {
        return Err(ReceiveError::TooLarge);
    }
    Ok(raw)
}

/// `raw` smallest units as a decimal in the asset's units, without trailing zeros ("1.5", "0.000000001", "12").
#[must_use]
pub fn format_amount(raw: u128, decimals: u8) -> String {
    let scale = 10u128.pow(u32::from(decimals));
    let (whole, frac) = (raw / scale, raw % scale);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0width$}", width = usize::from(decimals));
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// Percent-encodes `text` as an RFC 3986 query component (unreserved bytes stay, every other byte is `%XX`).
#[must_use]
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn check_text(field: &'static str, text: &str, max: usize) -> Result<(), ReceiveError> {
    if text.len() > max || text.chars().any(char::is_control) {
        return Err(ReceiveError::BadText { field, max });
    }
    Ok(())
}

/// A Solana Pay transfer request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SolanaPay<'a> {
    /// The recipient's address (a wallet address, not a token account).
    pub recipient: &'a str,
    /// The amount in SOL, or in the token's units with `spl_token`; `None`: the payer's wallet asks.
    pub amount: Option<&'a str>,
    /// An SPL token mint and its decimals, for a token transfer.
    pub spl_token: Option<(&'a str, u8)>,
    /// Who asks (shown by the payer's wallet).
    pub label: Option<&'a str>,
    /// What for (shown by the payer's wallet).
    pub message: Option<&'a str>,
    /// A memo put on chain (an SPL Memo instruction before the transfer).
    pub memo: Option<&'a str>,
}

impl SolanaPay<'_> {
    /// The `solana:` URI.
    ///
    /// # Errors
    /// [`ReceiveError`] for a recipient or mint that is not a Solana address, an amount that is not valid for the
    /// asset (more decimal places than it has, or above `u64::MAX` smallest units), a text field too long.
    pub fn uri(&self) -> Result<String, ReceiveError> {
        let solana = |field| ReceiveError::BadAddress { field, chain: "solana" };
        crate::chain::solana::parse_address(self.recipient).map_err(|_| solana("the recipient"))?;
        let mut params: Vec<(&str, String)> = Vec::new();
        let decimals = match self.spl_token {
            Some((mint, decimals)) => {
                crate::chain::solana::parse_address(mint).map_err(|_| solana("the token mint"))?;
                decimals
            }
            None => SOL_DECIMALS,
        };
        if let Some(a) = self.amount {
            let raw = parse_amount(a.trim(), decimals, u128::from(u64::MAX))?;
            params.push(("amount", format_amount(raw, decimals)));
        }
        if let Some((mint, _)) = self.spl_token {
            params.push(("spl-token", mint.to_owned()));
        }
        for (name, value) in [("label", self.label), ("message", self.message), ("memo", self.memo)] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                check_text(name, v, SOLANA_PAY_MAX_TEXT)?;
                params.push((name, percent_encode(v)));
            }
        }
        Ok(with_query(format!("solana:{}", self.recipient), &params))
    }
}

/// A Stellar memo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StellarMemo<'a> {
    /// `MEMO_TEXT`: at most 28 bytes.
    Text(&'a str),
    /// `MEMO_ID`: an unsigned 64-bit number.
    Id(u64),
    /// `MEMO_HASH`: 32 bytes (base64 in the URI).
    Hash([u8; 32]),
    /// `MEMO_RETURN`: 32 bytes (base64 in the URI).
    Return([u8; 32]),
}

/// A SEP-7 `pay` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StellarPay<'a> {
    /// The account to pay (`G…`).
    pub destination: &'a str,
    /// The amount in the asset's units (at most 7 decimal places); `None`: the payer's wallet asks.
    pub amount: Option<&'a str>,
    /// The asset's code and issuer (`G…`); `None`: lumens.
    pub asset: Option<(&'a str, &'a str)>,
    /// A memo for the payment.
    pub memo: Option<StellarMemo<'a>>,
    /// A message for the payer (not on chain), at most 300 characters.
    pub msg: Option<&'a str>,
    /// The network's passphrase when it is not the public network.
    pub network_passphrase: Option<&'a str>,
}

impl StellarPay<'_> {
    /// The `web+stellar:pay` URI. A text memo is written without `memo_type` (SEP-7's first example; `MEMO_TEXT`
    /// is the default), the other kinds with theirs.
    ///
    /// # Errors
    /// [`ReceiveError`] for a destination or issuer that is not a Stellar account, an amount of zero, with more than
    /// 7 decimal places or above the largest Stellar amount (`i64::MAX` stroops), an asset code that is not 1 to 12
    /// letters and digits, a text memo above 28 bytes, a message above 300 characters.
    pub fn uri(&self) -> Result<String, ReceiveError> {
        use base64::Engine as _;
        let stellar = |field| ReceiveError::BadAddress { field, chain: "stellar" };
        crate::chain::stellar::parse_address(self.destination).map_err(|_| stellar("the destination"))?;
        let mut params: Vec<(&str, String)> = vec![("destination", self.destination.to_owned())];
        if let Some(a) = self.amount {
            let raw = parse_amount(a.trim(), STELLAR_DECIMALS, u128::from(i64::MAX.unsigned_abs()))?;
            if raw == 0 {
                return Err(ReceiveError::Zero);
            }
            params.push(("amount", format_amount(raw, STELLAR_DECIMALS)));
        }
        if let Some((code, issuer)) = self.asset {
            if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(ReceiveError::BadAssetCode);
            }
            crate::chain::stellar::parse_address(issuer).map_err(|_| stellar("the asset issuer"))?;
            params.push(("asset_code", code.to_owned()));
            params.push(("asset_issuer", issuer.to_owned()));
        }
        let b64 = |h: &[u8; 32]| percent_encode(&base64::engine::general_purpose::STANDARD.encode(h));
        match self.memo {
            None => {}
            Some(StellarMemo::Text(t)) => {
                check_text("the memo", t, STELLAR_MAX_TEXT_MEMO)?;
                params.push(("memo", percent_encode(t)));
            }
            Some(StellarMemo::Id(n)) => {
                params.push(("memo", n.to_string()));
                params.push(("memo_type", "MEMO_ID".to_owned()));
            }
            Some(StellarMemo::Hash(h)) => {
                params.push(("memo", b64(&h)));
                params.push(("memo_type", "MEMO_HASH".to_owned()));
            }
            Some(StellarMemo::Return(h)) => {
                params.push(("memo", b64(&h)));
                params.push(("memo_type", "MEMO_RETURN".to_owned()));
            }
        }
        if let Some(m) = self.msg.filter(|m| !m.is_empty()) {
            if m.chars().count() > SEP7_MAX_MSG || m.chars().any(char::is_control) {
                return Err(ReceiveError::BadText { field: "the message", max: SEP7_MAX_MSG });
            }
            params.push(("msg", percent_encode(m)));
        }
        if let Some(p) = self.network_passphrase {
            params.push(("network_passphrase", percent_encode(p)));
        }
        Ok(with_query("web+stellar:pay".to_owned(), &params))
    }
}

fn with_query(mut base: String, params: &[(&str, String)]) -> String {
    for (n, (name, value)) in params.iter().enumerate() {
        base.push(if n == 0 { '?' } else { '&' });
        base.push_str(name);
        base.push('=');
        base.push_str(value);
    }
    base
}

/// The payment-request URI for the native coin of `chain` to `address`, with `amount` (in the coin's units) if
/// given; `stellar_testnet` adds the test network's passphrase to a SEP-7 request. `Ok(None)` when the chain has no
/// URI form (IOTA, Sui, IOTA Stardust, raw keys): show the address itself.
///
/// # Errors
/// As [`SolanaPay::uri`] and [`StellarPay::uri`].
pub fn payment_uri(
    chain: Chain,
    address: &str,
    amount: Option<&str>,
    stellar_testnet: bool,
) -> Result<Option<String>, ReceiveError> {
    let amount = amount.map(str::trim).filter(|a| !a.is_empty());
    match chain {
        Chain::Solana => SolanaPay { recipient: address, amount, ..SolanaPay::default() }.uri().map(Some),
        Chain::Stellar => StellarPay {
            destination: address,
            amount,
            asset: None,
            memo: None,
            msg: None,
            network_passphrase: stellar_testnet.then_some("Test SDF Network ; September 2015"),
        }
        .uri()
        .map(Some),
        _ => Ok(None),
    }
}

/// The decimal places of `chain`'s native coin, for validating an amount typed for a chain without a URI form.
#[must_use]
pub fn native_decimals(chain: Chain) -> u8 {
    match chain {
        Chain::Stellar => STELLAR_DECIMALS,
        // IOTA and Sui count in 10^-9 (NANOS / MIST), as Solana does in lamports.
        _ => SOL_DECIMALS,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const MVINES: &str = "mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN";
    const USDC: &str = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
    const SEP7_DEST: &str = "GCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOO";
    const SEP7_ISSUER: &str = "GCRCUE2C5TBNIPYHMEP7NK5RWTT2WBSZ75CMARH7GDOHDDCQH3XANFOB";

    /// solana-labs/solana-pay SPEC.md, "Examples": "URL describing a transfer for 1 SOL" and "URL describing a
    /// transfer for 0.01 USDC" (commit 02fd56b of anza-xyz/solana-pay, the repository's current home).
    #[test]
    fn solana_pay_spec_examples() {
        let one_sol = SolanaPay {
            recipient: MVINES,
            amount: Some("1"),
            label: Some("Michael"),
            message: Some("Thanks for all the fish"),
            memo: Some("OrderId1234"),
            ..SolanaPay::default()
        };
        assert_eq!(
            one_sol.uri().unwrap(),
            "solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=1&label=Michael&message=Thanks%20for%20all%20the%20fish&memo=OrderId1234"
        );
        let usdc = SolanaPay {
            amount: Some("0.01"),
            spl_token: Some((USDC, 6)),
            memo: Some("OrderId5678"),
            ..one_sol.clone()
        };
        assert_eq!(
            usdc.uri().unwrap(),
            "solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=0.01&spl-token=EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v&label=Michael&message=Thanks%20for%20all%20the%20fish&memo=OrderId5678"
        );
        // Without an amount the payer's wallet asks for one.
        let bare = SolanaPay { recipient: MVINES, ..SolanaPay::default() };
        assert_eq!(bare.uri().unwrap(), format!("solana:{MVINES}"));
    }

    #[test]
    fn solana_pay_amounts_follow_the_spec() {
        let with = |a: &'static str, token: Option<(&'static str, u8)>| {
            SolanaPay { recipient: MVINES, amount: Some(a), spl_token: token, ..SolanaPay::default() }.uri()
        };
        // A leading 0 below 1, no trailing zeros, 0 is valid.
        assert_eq!(with(".5", None).unwrap(), format!("solana:{MVINES}?amount=0.5"));
        assert_eq!(with("1.500", None).unwrap(), format!("solana:{MVINES}?amount=1.5"));
        assert_eq!(with("0", None).unwrap(), format!("solana:{MVINES}?amount=0"));
        assert_eq!(with("0.000000001", None).unwrap(), format!("solana:{MVINES}?amount=0.000000001"));
        // More decimal places than SOL (9) or the mint has: the spec says wallets must reject it; so do we.
        assert_eq!(with("0.0000000001", None), Err(ReceiveError::TooPrecise { decimals: 9 }));
        assert_eq!(with("0.0000001", Some((USDC, 6))), Err(ReceiveError::TooPrecise { decimals: 6 }));
        // Scientific notation, signs, commas and spaces inside are refused.
        for bad in ["1e9", "-1", "+1", "1,5", "1 5", "", ".", "1.", "0x10", "١"] {
            assert!(matches!(with(bad, None), Err(ReceiveError::NotANumber(_))), "{bad}");
        }
        // Above u64::MAX lamports.
        assert_eq!(with("18446744073.709551616", None), Err(ReceiveError::TooLarge));
        assert!(with("18446744073.709551615", None).is_ok());
        let bad_recipient = SolanaPay { recipient: "0xabc", ..SolanaPay::default() };
        assert!(matches!(bad_recipient.uri(), Err(ReceiveError::BadAddress { .. })));
        let control = SolanaPay { recipient: MVINES, memo: Some("a\nb"), ..SolanaPay::default() };
        assert!(matches!(control.uri(), Err(ReceiveError::BadText { .. })));
        // Reserved characters are escaped, UTF-8 byte by byte.
        let text = SolanaPay { recipient: MVINES, message: Some("a&b=c?é/+"), ..SolanaPay::default() };
        assert_eq!(text.uri().unwrap(), format!("solana:{MVINES}?message=a%26b%3Dc%3F%C3%A9%2F%2B"));
    }

    /// stellar/stellar-protocol ecosystem/sep-0007.md (v1.2.0), "Operation `pay`": Example 1 (a payment with
    /// lumens) exactly, and Example 2 (a specific asset) up to its `callback`, which Coffer does not set.
    #[test]
    fn sep7_spec_examples() {
        let lumens = StellarPay {
            destination: SEP7_DEST,
            amount: Some("120.1234567"),
            asset: None,
            memo: Some(StellarMemo::Text("skdjfasf")),
            msg: Some("pay me with lumens"),
            network_passphrase: None,
        };
        assert_eq!(
            lumens.uri().unwrap(),
            "web+stellar:pay?destination=GCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOO&amount=120.1234567&memo=skdjfasf&msg=pay%20me%20with%20lumens"
        );
        let usd = StellarPay {
            amount: Some("120.123"),
            asset: Some(("USD", SEP7_ISSUER)),
            memo: Some(StellarMemo::Text("hasysda987fs")),
            msg: None,
            ..lumens
        };
        let example2 = "web+stellar:pay?destination=GCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOO&amount=120.123&asset_code=USD&asset_issuer=GCRCUE2C5TBNIPYHMEP7NK5RWTT2WBSZ75CMARH7GDOHDDCQH3XANFOB&memo=hasysda987fs&callback=url%3Ahttps%3A%2F%2FsomeSigningService.com%2Fhasysda987fs%3Fasset%3DUSD";
        assert_eq!(usd.uri().unwrap(), example2.split("&callback=").next().unwrap());
        // The callback's own encoding in the example is RFC 3986's, as ours.
        assert_eq!(
            percent_encode("url:https://someSigningService.com/hasysda987fs?asset=USD"),
            "url%3Ahttps%3A%2F%2FsomeSigningService.com%2Fhasysda987fs%3Fasset%3DUSD"
        );
    }

    #[test]
    fn sep7_checks_amounts_memos_and_codes() {
        let pay = |amount: Option<&'static str>, memo| StellarPay {
            destination: SEP7_DEST,
            amount,
            asset: None,
            memo,
            msg: None,
            network_passphrase: None,
        };
        assert_eq!(pay(Some("0.00000001"), None).uri(), Err(ReceiveError::TooPrecise { decimals: 7 }));
        assert_eq!(pay(Some("0"), None).uri(), Err(ReceiveError::Zero));
        assert_eq!(pay(Some("922337203685.4775808"), None).uri(), Err(ReceiveError::TooLarge));
        assert!(pay(Some("922337203685.4775807"), None).uri().is_ok());
        let long = pay(None, Some(StellarMemo::Text("twenty-nine bytes of memo....")));
        assert!(matches!(long.uri(), Err(ReceiveError::BadText { .. })));
        let id = pay(None, Some(StellarMemo::Id(u64::MAX))).uri().unwrap();
        assert!(id.ends_with("&memo=18446744073709551615&memo_type=MEMO_ID"), "{id}");
        // A hash memo is base64, then URL-encoded ('+', '/' and '=' escaped).
        let hash = pay(None, Some(StellarMemo::Hash([0xfb; 32]))).uri().unwrap();
        assert!(hash.contains("&memo=%2B%2Fv7%2B%2Fv7"), "{hash}");
        assert!(hash.ends_with("%3D&memo_type=MEMO_HASH"), "{hash}");
        let bad_code = StellarPay { asset: Some(("US D", SEP7_ISSUER)), ..pay(None, None) };
        assert_eq!(bad_code.uri(), Err(ReceiveError::BadAssetCode));
        let bad_dest = StellarPay { destination: MVINES, ..pay(None, None) };
        assert!(matches!(bad_dest.uri(), Err(ReceiveError::BadAddress { .. })));
        let testnet = payment_uri(Chain::Stellar, SEP7_DEST, Some("1"), true).unwrap().unwrap();
        assert_eq!(
            testnet,
            format!(
                "web+stellar:pay?destination={SEP7_DEST}&amount=1&network_passphrase=Test%20SDF%20Network%20%3B%20September%202015"
            )
        );
    }

    #[test]
    fn chains_without_a_uri_form_answer_none() {
        let sui = "0x7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d";
        assert_eq!(payment_uri(Chain::Sui, sui, Some("1"), false), Ok(None));
        assert_eq!(payment_uri(Chain::Iota, sui, None, false), Ok(None));
        assert_eq!(payment_uri(Chain::Solana, MVINES, Some(" "), false).unwrap().unwrap(), format!("solana:{MVINES}"));
    }
}

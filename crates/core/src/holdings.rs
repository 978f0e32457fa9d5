//! What an account holds, per chain: the input from which [`crate::migrate`] builds complete sweeps.
//!
//! Holdings come from the network side (the answers of `coffer-net`, converted by the CLI and the app) or, on an
//! air-gapped machine, from a holdings file (schema in docs/cli.md, "Holdings file"; with the `serde` feature these
//! types read and write it). Either way they are **untrusted**: a lying source can make a sweep fail or leave
//! something behind, never pay anyone else — the destination guard re-checks every byte that is signed.

pub mod iota_sui;
pub mod solana;
pub mod stellar;

/// `raw` base units of an asset with `decimals` decimals, as people read it: the whole part, then the fraction
/// without trailing zeros (`1.5`, `0.000000001`, `12`). Exact for every `u128` (no floating point).
#[must_use]
pub fn format_units(raw: u128, decimals: u8) -> String {
    let Some(scale) = 10u128.checked_pow(u32::from(decimals)) else {
        // More decimals than a u128 has digits: the whole part is 0, the fraction is the raw digits, zero-padded.
        let digits = raw.to_string();
        let frac = format!("{}{digits}", "0".repeat(usize::from(decimals).saturating_sub(digits.len())));
        let frac = frac.trim_end_matches('0');
        return if frac.is_empty() { "0".to_owned() } else { format!("0.{frac}") };
    };
    let (whole, frac) = (raw / scale, raw % scale);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0width$}", width = usize::from(decimals));
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// [`format_units`] followed by the unit: `format_amount(1_500_000_000, 9, "SUI")` is `1.5 SUI`. The amounts of
/// the migration previews: SOL (9 decimals), XLM (7), IOTA (9), SUI (9), a token with its mint's decimals.
#[must_use]
pub fn format_amount(raw: u128, decimals: u8, unit: &str) -> String {
    format!("{} {unit}", format_units(raw, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_the_chains_units() {
        assert_eq!(format_amount(1_500_000_000, 9, "SOL"), "1.5 SOL");
        assert_eq!(format_amount(1, 9, "IOTA"), "0.000000001 IOTA");
        assert_eq!(format_amount(120_000_000, 7, "XLM"), "12 XLM");
        assert_eq!(format_amount(0, 9, "SUI"), "0 SUI");
        assert_eq!(format_units(u128::from(u64::MAX), 9), "18446744073.709551615");
        assert_eq!(format_units(u128::MAX, 0), u128::MAX.to_string());
        assert_eq!(format_units(1_000_001, 6), "1.000001");
        assert_eq!(format_units(5, 40), "0.0000000000000000000000000000000000000005");
        assert_eq!(format_units(0, 40), "0");
    }
}

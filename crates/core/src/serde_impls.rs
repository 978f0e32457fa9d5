//! `serde` support for the public data types (feature `serde`), in the JSON shapes `coffer --json` prints
//! (docs/cli.md), so the CLI, the app and integrators write the same documented field names.
//!
//! - [`Chain`], [`DerivationPath`] and [`RowState`](crate::migrate::RowState) are strings (`"sui"`,
//!   `"m/44'/784'/0'/0'/0'"`, `"pending"`) both ways.
//! - [`PublicKey`] is lower-case hex; [`Account`] is `{chain, path, address, public_key}`.
//! - [`LogRecord`] and [`LogEntry`] carry their digests and hashes as lower-case hex and times also as ISO 8601 UTC
//!   (`time_utc`), as `coffer log --json`.
//! - [`PlanRow`](crate::migrate::PlanRow) and [`Report`](crate::migrate::Report) are the rows and the document of
//!   `coffer migrate report --json` (a receipt is shown with its row; `index` is `null` on chains without one).
//!
//! Types that hold or describe secrets have no serde support at all.

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::chain::{Account, Chain};
use crate::derive::{DerivationPath, PublicKey};
use crate::sign::LogRecord;
use crate::signing_log::LogEntry;

/// A type with a stable text form: serialized as that string, deserialized by parsing it.
macro_rules! as_string {
    ($ty:ty, $expecting:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse()
                    .map_err(|_| serde::de::Error::invalid_value(serde::de::Unexpected::Str(&text), &$expecting))
            }
        }
    };
}

as_string!(Chain, "a chain name (iota, sui, stardust, solana, stellar, raw)");
as_string!(DerivationPath, "a hardened derivation path such as m/44'/784'/0'/0'/0'");

impl Serialize for PublicKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Account", 4)?;
        st.serialize_field("chain", &self.chain)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("address", &self.address)?;
        st.serialize_field("public_key", &self.public_key)?;
        st.end()
    }
}

impl Serialize for LogRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("LogRecord", 4)?;
        st.serialize_field("chain", &self.chain)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("digest", &hex::encode(&self.digest))?;
        st.serialize_field("summary", &self.summary)?;
        st.end()
    }
}

impl Serialize for LogEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("LogEntry", 8)?;
        st.serialize_field("time", &self.time)?;
        st.serialize_field("time_utc", &crate::time::utc_iso8601(self.time))?;
        st.serialize_field("chain", &self.chain)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("digest", &hex::encode(&self.digest))?;
        st.serialize_field("summary", &self.summary)?;
        st.serialize_field("hash", &hex::encode(self.hash()))?;
        st.serialize_field("prev_hash", &hex::encode(self.prev_hash))?;
        st.end()
    }
}

#[cfg(feature = "vault")]
mod migration {
    use crate::migrate::{PlanRow, Receipt, Report, RowState};
    use serde::ser::{SerializeMap as _, SerializeStruct as _};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for RowState {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.name())
        }
    }

    impl<'de> Deserialize<'de> for RowState {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            Self::ALL.into_iter().find(|s| s.name() == text).ok_or_else(|| {
                serde::de::Error::invalid_value(
                    serde::de::Unexpected::Str(&text),
                    &"pending, signed, manual, broadcast or confirmed",
                )
            })
        }
    }

    impl Serialize for PlanRow {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("PlanRow", 8)?;
            st.serialize_field("chain", &self.chain)?;
            st.serialize_field("path", &self.path().map(|p| p.to_string()).unwrap_or_default())?;
            st.serialize_field("account", &self.account)?;
            st.serialize_field("index", &self.chain.uses_index().then_some(self.index))?;
            st.serialize_field("old_address", &self.old_address)?;
            st.serialize_field("new_address", &self.new_address)?;
            st.serialize_field("state", &self.state)?;
            st.serialize_field("note", &self.note)?;
            st.end()
        }
    }

    /// A receipt as the report shows it: with its row (`None` for a row index out of range, shown as `null`), and
    /// its transaction under `tx_bytes` (IOTA, Sui: unsigned) or `signed_tx` (Solana, Stellar).
    struct ReceiptWithRow<'a> {
        receipt: &'a Receipt,
        row: Option<&'a PlanRow>,
    }

    impl Serialize for ReceiptWithRow<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let c = self.receipt;
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("chain", &c.chain)?;
            m.serialize_entry("row", &self.row)?;
            m.serialize_entry("time", &c.time)?;
            m.serialize_entry("time_utc", &crate::time::utc_iso8601(c.time))?;
            m.serialize_entry("tx_id", &c.tx_id)?;
            m.serialize_entry("signature", &c.signature)?;
            m.serialize_entry("broadcast", &c.broadcast())?;
            m.serialize_entry(if c.chain.uses_index() { "tx_bytes" } else { "signed_tx" }, &c.tx)?;
            if !c.network.is_empty() {
                m.serialize_entry("network", &c.network)?;
            }
            m.end()
        }
    }

    impl Serialize for Report {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let m = &self.migration;
            let receipts: Vec<_> =
                m.receipts.iter().map(|c| ReceiptWithRow { receipt: c, row: m.rows.get(c.row) }).collect();
            let mut st = s.serialize_struct("Report", 8)?;
            st.serialize_field("from", &self.from)?;
            st.serialize_field("to", &self.to)?;
            st.serialize_field("backup_checked", &self.backup_checked)?;
            st.serialize_field("created", &m.created)?;
            st.serialize_field("created_utc", &crate::time::utc_iso8601(m.created))?;
            st.serialize_field("rows", &m.rows)?;
            st.serialize_field("receipts", &receipts)?;
            st.serialize_field("manual_steps", &self.manual_steps)?;
            st.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::chain::Chain;
    use crate::derive::DerivationPath;

    #[test]
    fn value_types_round_trip_as_strings() {
        let path: DerivationPath = "m/44'/784'/0'/0'/0'".parse().unwrap();
        assert_eq!(serde_json::to_value(&path).unwrap(), json!("m/44'/784'/0'/0'/0'"));
        assert_eq!(serde_json::from_value::<DerivationPath>(json!("m/44'/784'/0'/0'/0'")).unwrap(), path);
        assert_eq!(serde_json::to_value(Chain::Stellar).unwrap(), json!("stellar"));
        assert_eq!(serde_json::from_value::<Chain>(json!("sui")).unwrap(), Chain::Sui);
        assert!(serde_json::from_value::<Chain>(json!("bitcoin")).is_err());
        assert!(serde_json::from_value::<DerivationPath>(json!("m/44/0")).is_err());
    }

    /// The shape of `coffer migrate report --json` (docs/cli.md), which the app's export writes too.
    #[cfg(feature = "vault")]
    #[test]
    fn report_has_the_documented_shape() {
        use crate::migrate::{Migration, PlanRow, Receipt, Report, RowState};
        use crate::vault::SeedId;
        let row = |chain, old: &str, new: &str, state| PlanRow {
            chain,
            account: 1,
            index: 0,
            old_address: old.into(),
            new_address: new.into(),
            state,
            note: String::new(),
        };
        let receipt = |row, chain, tx: &str, network: &str| Receipt {
            row,
            chain,
            time: 951_782_400,
            tx_id: "id".into(),
            signature: "sig".into(),
            tx: tx.into(),
            network: network.into(),
        };
        let report = Report {
            from: "Old".into(),
            to: "New".into(),
            backup_checked: true,
            migration: Migration {
                from: SeedId([1; 16]),
                to: SeedId([2; 16]),
                created: 0,
                challenge: vec![],
                rows: vec![
                    row(Chain::Sui, "0xold", "0xnew", RowState::Signed),
                    row(Chain::Stellar, "GOLD", "GNEW", RowState::Pending),
                ],
                receipts: vec![
                    receipt(0, Chain::Sui, "AAEC", ""),
                    receipt(1, Chain::Stellar, "AAAA", "Test SDF Network ; September 2015"),
                ],
            },
            manual_steps: vec!["do this by hand".into()],
        };
        let stellar_broadcast = report.migration.receipts[1].broadcast();
        let sui = json!({"chain": "sui", "path": "m/44'/784'/1'/0'/0'", "account": 1, "index": 0,
            "old_address": "0xold", "new_address": "0xnew", "state": "signed", "note": ""});
        let stellar = json!({"chain": "stellar", "path": "m/44'/148'/1'", "account": 1, "index": null,
            "old_address": "GOLD", "new_address": "GNEW", "state": "pending", "note": ""});
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            json!({
                "from": "Old", "to": "New", "backup_checked": true, "created": 0,
                "created_utc": "1970-01-01T00:00:00Z",
                "rows": [sui, stellar],
                "receipts": [
                    {"chain": "sui", "row": sui, "time": 951_782_400, "time_utc": "2000-02-29T00:00:00Z",
                     "tx_id": "id", "signature": "sig", "tx_bytes": "AAEC",
                     "broadcast": ["sui client execute-signed-tx --tx-bytes AAEC --signatures sig"]},
                    {"chain": "stellar", "row": stellar, "time": 951_782_400, "time_utc": "2000-02-29T00:00:00Z",
                     "tx_id": "id", "signature": "sig", "signed_tx": "AAAA",
                     "network": "Test SDF Network ; September 2015", "broadcast": stellar_broadcast},
                ],
                "manual_steps": ["do this by hand"],
            })
        );
    }

    #[test]
    fn log_entries_carry_hex_and_utc() {
        let entry = crate::signing_log::LogEntry {
            prev_hash: [0; 32],
            time: 0,
            chain: "sui".into(),
            path: "m/44'/784'/0'/0'/0'".into(),
            digest: vec![0xab; 2],
            summary: "s".into(),
        };
        let v = serde_json::to_value(&entry).unwrap();
        assert_eq!(v["digest"], "abab");
        assert_eq!(v["time_utc"], "1970-01-01T00:00:00Z");
        assert_eq!(v["prev_hash"], "0".repeat(64));
        assert_eq!(v["hash"], hex::encode(entry.hash()));
    }
}

//! `serde` support for the public data types (feature `serde`), in the JSON shapes `coffer --json` prints
//! (docs/cli.md), so the CLI, the app and integrators write the same documented field names.
//!
//! - [`Chain`], [`DerivationPath`] and [`RowState`](crate::migrate::RowState) are strings (`"sui"`,
//!   `"m/44'/784'/0'/0'/0'"`, `"pending"`) both ways.
//! - [`AccountIndex`] and [`AddressIndex`] are plain numbers (checked to be below 2^31 when read).
//! - [`PublicKey`] is lower-case hex; [`Account`] is `{chain, path, address, public_key}`.
//! - [`LogRecord`] and [`LogEntry`] carry their digests and hashes as lower-case hex and times also as ISO 8601 UTC
//!   (`time_utc`), as `coffer log --json`.
//! - [`Summary`](crate::sign::Summary) and [`Signed`](crate::sign::Signed) are the `summary` and the signature of
//!   `coffer sign --json`.
//! - [`PlanRow`](crate::migrate::PlanRow) and [`Report`](crate::migrate::Report) are the rows and the document of
//!   `coffer migrate report --json` (a receipt is shown with its row; `index` is `null` on chains without one).
//!
//! Types that hold or describe secrets have no serde support at all.

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::chain::{Account, AccountIndex, AddressIndex, Chain};
use crate::derive::{DerivationPath, PublicKey};
use crate::sign::{Fee, Line, LogRecord, Signed, Summary};
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

/// A position on a path: the plain number, checked to be below 2^31 when read.
macro_rules! as_number {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u32(self.get())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let n = u32::deserialize(d)?;
                Self::new(n).map_err(|_| {
                    serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(n.into()), &"a number below 2^31")
                })
            }
        }
    };
}

as_number!(AccountIndex);
as_number!(AddressIndex);

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

impl Serialize for Line {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Line", 2)?;
        st.serialize_field("label", &self.label)?;
        st.serialize_field("value", &self.value)?;
        st.end()
    }
}

/// The base units as a string: a `u128` does not fit a JSON number.
impl Serialize for Fee {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Fee", 4)?;
        st.serialize_field("amount", &self.amount)?;
        st.serialize_field("symbol", self.symbol)?;
        st.serialize_field("base_units", &self.base_units.to_string())?;
        st.serialize_field("base_unit", self.base_unit)?;
        st.end()
    }
}

/// What `coffer sign --json` shows of a decoded request (its `summary`): the readable lines, what was not decoded,
/// signers, warnings and the most it may cost. The chain-specific details are left out.
impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Summary", 9)?;
        st.serialize_field("chain", &self.chain)?;
        st.serialize_field("kind", self.kind)?;
        st.serialize_field("one_line", &self.one_line())?;
        st.serialize_field("fully_decoded", &self.fully_decoded())?;
        st.serialize_field("lines", &self.lines)?;
        st.serialize_field("undecoded", &self.undecoded)?;
        st.serialize_field("signers", &self.signers)?;
        st.serialize_field("warnings", &self.warnings)?;
        st.serialize_field("max_fee", &self.max_fee)?;
        st.end()
    }
}

/// A signature as `coffer sign --json` prints it: the digest in lower-case hex, `signed_tx` only where the chain has
/// one (Solana, Stellar).
impl Serialize for Signed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Signed", 8)?;
        st.serialize_field("chain", &self.chain)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("address", &self.address)?;
        st.serialize_field("public_key", &self.public_key)?;
        st.serialize_field("signature", &self.signature)?;
        st.serialize_field("digest", &hex::encode(&self.digest))?;
        st.serialize_field("summary", &*self.summary)?;
        match &self.signed_tx {
            Some(tx) => st.serialize_field("signed_tx", tx)?,
            None => st.skip_field("signed_tx")?,
        }
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

#[cfg(feature = "migrate")]
mod migration {
    use crate::migrate::{PlanRow, ReceiptWithRow, RowState};
    use crate::vault::migration::Report;
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
            // What Coffer sent (null when it did not): where, and whether the network confirmed it.
            m.serialize_entry("sent", &c.sent)?;
            m.serialize_entry("sweep", &c.sweep)?;
            m.serialize_entry("explorer", &c.explorer())?;
            m.end()
        }
    }

    impl Serialize for crate::migrate::Sent {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("Sent", 6)?;
            st.serialize_field("network", &self.network)?;
            st.serialize_field("endpoint", &self.endpoint)?;
            st.serialize_field("confirmed", &self.confirmed)?;
            // Why it did not go through (null unless it failed on chain or the endpoint refused it).
            st.serialize_field("failed", &self.failed)?;
            st.serialize_field("time", &self.time)?;
            st.serialize_field("time_utc", &crate::time::utc_iso8601(self.time))?;
            st.end()
        }
    }

    impl Serialize for Report {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let m = &self.migration;
            let receipts: Vec<_> = m.receipts.iter().map(|c| ReceiptWithRow::new(c, m.rows.get(c.row))).collect();
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

    #[test]
    fn positions_are_plain_numbers_below_2_31() {
        use crate::chain::{AccountIndex, AddressIndex};
        assert_eq!(serde_json::to_value(AccountIndex::new(7).unwrap()).unwrap(), json!(7));
        assert_eq!(serde_json::from_value::<AddressIndex>(json!(2_147_483_647)).unwrap(), AddressIndex::MAX);
        assert!(serde_json::from_value::<AccountIndex>(json!(2_147_483_648_u32)).is_err());
        assert!(serde_json::from_value::<AddressIndex>(json!(-1)).is_err());
    }

    /// The shape of `coffer migrate report --json` (docs/cli.md), which the app's export writes too.
    #[cfg(feature = "migrate")]
    #[test]
    fn report_has_the_documented_shape() {
        use crate::migrate::{PlanRow, Receipt, RowState};
        use crate::vault::SeedId;
        use crate::vault::{Migration, Report};
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
            sent: None,
            sweep: 0,
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
                    Receipt {
                        sent: Some(crate::migrate::Sent {
                            confirmed: false,
                            failed: Some("tx_bad_seq".into()),
                            network: "testnet".into(),
                            endpoint: "https://horizon-testnet.stellar.org".into(),
                            time: 951_782_460,
                        }),
                        sweep: 1,
                        ..receipt(1, Chain::Stellar, "AAAA", "Test SDF Network ; September 2015")
                    },
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
                     "broadcast": ["sui client execute-signed-tx --tx-bytes AAEC --signatures sig"],
                     "sent": null, "sweep": 0, "explorer": null},
                    {"chain": "stellar", "row": stellar, "time": 951_782_400, "time_utc": "2000-02-29T00:00:00Z",
                     "tx_id": "id", "signature": "sig", "signed_tx": "AAAA",
                     "network": "Test SDF Network ; September 2015", "broadcast": stellar_broadcast,
                     "sent": {"network": "testnet", "endpoint": "https://horizon-testnet.stellar.org",
                              "confirmed": false, "failed": "tx_bad_seq", "time": 951_782_460,
                              "time_utc": "2000-02-29T00:01:00Z"},
                     "sweep": 1, "explorer": "https://stellar.expert/explorer/testnet/tx/id"},
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

//! Argon2id parameters: the policy for new vaults, the bounds for files read from disk, calibration to the machine
//! at hand, and the derivation of a key-encryption key from a password.
//!
//! Three sets of limits apply:
//! - the **policy** ([`KdfParams::POLICY_MIN_MEMORY_KIB`], [`KdfParams::POLICY_MIN_PASSES`]): the weakest
//!   parameters [`KdfParams::new`] and [`KdfParams::calibrate`] produce; a vault read with weaker ones
//!   [`needs an upgrade`](super::Vault::needs_upgrade);
//! - the **read bounds** ([`KdfParams::MAX_MEMORY_KIB`], [`KdfParams::MAX_PASSES`], [`KdfParams::MAX_LANES`]):
//!   a file asking for more is refused with [`VaultError::ExcessiveWork`] before Argon2 runs;
//! - the **format minimums** (Argon2's own: 1 pass, 1 lane, 8 KiB per lane): a file asking for less is
//!   [`VaultError::Corrupted`].
//!
//! Between the policy and the read bounds lies the **consent line** ([`KdfParams::is_expensive`]): parameters whose
//! work (memory × passes) is more than [`KdfParams::EXPENSIVE_WORK_FACTOR`] times the policy floor's (256 MiB × 2
//! passes) — more than calibration ever picks (256 MiB, at most 64 passes) — or whose memory is above
//! [`KdfParams::EXPENSIVE_MEMORY_KIB`]. [`Vault::open`](super::Vault::open) refuses them with
//! [`VaultError::ExpensiveKdf`], carrying a [`KdfCost`], unless the caller passes
//! [`OpenOptions::allow_expensive_kdf`](super::OpenOptions::allow_expensive_kdf): a swapped file at the read
//! bounds (4 GiB × 64 passes) would otherwise hold the program for minutes and may push the machine into swap
//! (allocation failures are not reported reliably where memory is overcommitted).

use std::time::{Duration, Instant};

use unicode_normalization::UnicodeNormalization;

use super::VaultError;
use crate::secret::{SecretBytes, SecretString};

/// Length of the Argon2 salt stored in a password slot.
pub const SALT_LEN: usize = 32;

/// Argon2id cost parameters: memory in KiB, passes (`t_cost`) and lanes (`p_cost`).
///
/// Values of this type made through the public constructors always meet the policy; the only way to get weaker
/// ones is reading an old file or the test-only `KdfParams::insecure_for_tests`.
///
/// ```
/// use coffer_core::vault::KdfParams;
/// let p = KdfParams::new(512 * 1024, 4, 2)?;
/// assert_eq!((p.memory_kib(), p.passes(), p.lanes()), (524_288, 4, 2));
/// assert!(KdfParams::new(1024, 4, 2).is_err()); // below the 256 MiB policy
/// # Ok::<(), coffer_core::vault::VaultError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfParams {
    memory_kib: u32,
    passes: u32,
    lanes: u32,
}

impl KdfParams {
    /// Policy: at least 256 MiB of memory.
    pub const POLICY_MIN_MEMORY_KIB: u32 = 256 * 1024;
    /// Policy: at least two passes.
    pub const POLICY_MIN_PASSES: u32 = 2;
    /// Read bound: at most 4 GiB of memory.
    pub const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
    /// Read bound: at most 64 passes.
    pub const MAX_PASSES: u32 = 64;
    /// Read bound: at most 16 lanes.
    pub const MAX_LANES: u32 = 16;
    /// Consent line: work (memory × passes) above this many times the policy floor's needs consent to run.
    pub const EXPENSIVE_WORK_FACTOR: u64 = 32;
    /// Consent line: more memory than this (2 GiB) needs consent to run.
    pub const EXPENSIVE_MEMORY_KIB: u32 = 2 * 1024 * 1024;

    /// Parameters chosen by a user; they must meet the policy and the read bounds.
    ///
    /// # Errors
    /// A [`KdfParamsError`](super::KdfParamsError) (it converts into [`VaultError::InvalidParams`]) if memory is
    /// below 256 MiB or above 4 GiB, passes are below 2 or above 64, or lanes are 0 or above 16.
    pub fn new(memory_kib: u32, passes: u32, lanes: u32) -> Result<Self, super::KdfParamsError> {
        use super::KdfParamsError as E;
        if memory_kib < Self::POLICY_MIN_MEMORY_KIB {
            return Err(E::MemoryBelowPolicy);
        }
        if passes < Self::POLICY_MIN_PASSES {
            return Err(E::TooFewPasses);
        }
        match Self::from_file(memory_kib, passes, lanes) {
            Ok(p) => Ok(p),
            Err(VaultError::ExcessiveWork { .. }) => Err(E::BeyondBounds),
            Err(_) => Err(E::NoLanes),
        }
    }

    /// The parameters read from a vault file, checked against the read bounds and Argon2's minimums.
    ///
    /// # Errors
    /// [`VaultError::ExcessiveWork`] above the read bounds; [`VaultError::Corrupted`] below Argon2's minimums.
    pub(crate) fn from_file(memory_kib: u32, passes: u32, lanes: u32) -> Result<Self, VaultError> {
        if memory_kib > Self::MAX_MEMORY_KIB || passes > Self::MAX_PASSES || lanes > Self::MAX_LANES {
            return Err(VaultError::ExcessiveWork { memory_kib, passes, lanes });
        }
        if passes < 1 || lanes < 1 || memory_kib < 8 * lanes {
            return Err(VaultError::Corrupted);
        }
        Ok(Self { memory_kib, passes, lanes })
    }

    /// The policy's floor: 256 MiB, 2 passes, lanes for the cores at hand (2 to 4). Unlocks in well under a
    /// second on most machines; prefer [`KdfParams::calibrate`].
    #[must_use]
    pub fn policy_minimum() -> Self {
        Self { memory_kib: Self::POLICY_MIN_MEMORY_KIB, passes: Self::POLICY_MIN_PASSES, lanes: default_lanes() }
    }

    /// Measures this machine and picks the passes (at 256 MiB, with one lane per core, 2 to 4) that make one key
    /// derivation take about `target`, but never less than the policy. Takes about two derivations of one and two
    /// passes.
    ///
    /// ```no_run
    /// use coffer_core::vault::KdfParams;
    /// let p = KdfParams::calibrate(std::time::Duration::from_secs(1))?;
    /// assert!(p.meets_policy());
    /// # Ok::<(), coffer_core::vault::VaultError>(())
    /// ```
    ///
    /// # Errors
    /// [`VaultError::Kdf`] if Argon2 cannot allocate its memory.
    pub fn calibrate(target: Duration) -> Result<Self, VaultError> {
        let base = Self::policy_minimum();
        let time = |passes| -> Result<Duration, VaultError> {
            let p = Self { passes, ..base };
            let start = Instant::now();
            derive_raw(&p, b"coffer calibration", &[0u8; SALT_LEN])?;
            Ok(start.elapsed())
        };
        let one = time(1)?;
        let two = time(2)?;
        // time(t) ~ fixed + t * per_pass
        let per_pass = two.saturating_sub(one).max(Duration::from_millis(1));
        let fixed = one.saturating_sub(per_pass);
        let wanted = target.saturating_sub(fixed).as_secs_f64() / per_pass.as_secs_f64();
        // Truncation is intended: a float within [POLICY_MIN_PASSES, MAX_PASSES] after the clamp.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let passes = wanted.round().clamp(f64::from(Self::POLICY_MIN_PASSES), f64::from(Self::MAX_PASSES)) as u32;
        Ok(Self { passes, ..base })
    }

    /// Tiny parameters (64 KiB, 1 pass, 1 lane) for tests only: they protect nothing. Present only in this crate's
    /// own tests and with the `insecure-test-kdf` feature, which the CLI and GUI never enable. A vault made with
    /// them opens in any build and [`needs an upgrade`](super::Vault::needs_upgrade).
    #[cfg(any(test, feature = "insecure-test-kdf"))]
    #[must_use]
    pub fn insecure_for_tests() -> Self {
        Self { memory_kib: 64, passes: 1, lanes: 1 }
    }

    /// Memory in KiB.
    #[must_use]
    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    /// Passes over memory (Argon2 `t_cost`).
    #[must_use]
    pub fn passes(&self) -> u32 {
        self.passes
    }

    /// Lanes (Argon2 `p_cost`); with Coffer's build they run on separate threads.
    #[must_use]
    pub fn lanes(&self) -> u32 {
        self.lanes
    }

    /// Memory × passes, in KiB-passes.
    fn work(&self) -> u64 {
        u64::from(self.memory_kib) * u64::from(self.passes)
    }

    /// What deriving a key with these parameters costs, estimated without running it.
    ///
    /// ```
    /// use coffer_core::vault::KdfParams;
    /// let floor = KdfParams::new(256 * 1024, 2, 2)?.cost();
    /// assert_eq!(floor.relative_work, 1);
    /// let big = KdfParams::new(4 * 1024 * 1024, 64, 4)?.cost();
    /// assert_eq!(big.relative_work, 512);
    /// assert!(big.estimate > std::time::Duration::from_secs(120));
    /// # Ok::<(), coffer_core::vault::VaultError>(())
    /// ```
    #[must_use]
    pub fn cost(&self) -> KdfCost {
        let floor = u64::from(Self::POLICY_MIN_MEMORY_KIB) * u64::from(Self::POLICY_MIN_PASSES);
        KdfCost {
            memory_kib: self.memory_kib,
            passes: self.passes,
            lanes: self.lanes,
            relative_work: self.work().div_ceil(floor).max(1),
            estimate: Duration::from_nanos(self.work().saturating_mul(REFERENCE_NANOS_PER_KIB_PASS)),
        }
    }

    /// Whether deriving a key with these parameters is far above the policy (see the [module
    /// documentation](self)): more than [`KdfParams::EXPENSIVE_WORK_FACTOR`] times the policy floor's work, or more
    /// than [`KdfParams::EXPENSIVE_MEMORY_KIB`] of memory. Parameters Coffer calibrates are never expensive.
    ///
    /// ```
    /// use coffer_core::vault::KdfParams;
    /// assert!(!KdfParams::new(256 * 1024, 64, 4)?.is_expensive()); // the most calibration picks
    /// assert!(!KdfParams::new(2 * 1024 * 1024, 8, 4)?.is_expensive()); // 32 times the floor
    /// assert!(KdfParams::new(256 * 1024 + 1, 64, 4)?.is_expensive());
    /// assert!(KdfParams::new(2 * 1024 * 1024 + 1, 2, 4)?.is_expensive());
    /// # Ok::<(), coffer_core::vault::VaultError>(())
    /// ```
    #[must_use]
    pub fn is_expensive(&self) -> bool {
        let floor = u64::from(Self::POLICY_MIN_MEMORY_KIB) * u64::from(Self::POLICY_MIN_PASSES);
        self.work() > Self::EXPENSIVE_WORK_FACTOR * floor || self.memory_kib > Self::EXPENSIVE_MEMORY_KIB
    }

    /// Whether these parameters are at least as strong as the current policy.
    #[must_use]
    pub fn meets_policy(&self) -> bool {
        self.memory_kib >= Self::POLICY_MIN_MEMORY_KIB && self.passes >= Self::POLICY_MIN_PASSES
    }
}

/// The estimate's rate: about 1.25 s per GiB-pass, as measured for Argon2id on one core of the reference machine
/// (2 cores; 256 MiB × 3 passes ≈ 0.94 s). More lanes on more cores are faster, a slower machine slower.
const REFERENCE_NANOS_PER_KIB_PASS: u64 = 1_192;

/// What a key derivation costs, from its parameters ([`KdfParams::cost`]); carried by [`VaultError::ExpensiveKdf`]
/// so the person can be shown what they are asked to allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct KdfCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub passes: u32,
    /// Lanes.
    pub lanes: u32,
    /// Memory × passes as a multiple of the policy floor's (256 MiB × 2 passes), rounded up (at least 1 for any
    /// parameters Argon2 accepts).
    pub relative_work: u64,
    /// Estimated time at the reference rate (about 1.25 s per GiB-pass, one core): a rough guide, not a promise.
    pub estimate: Duration,
}

impl KdfCost {
    /// The estimate for people: "under a second", "about 20 s", "about 5 min".
    ///
    /// ```
    /// use coffer_core::vault::KdfParams;
    /// assert_eq!(KdfParams::new(4 * 1024 * 1024, 64, 4)?.cost().estimate_words(), "about 5 min");
    /// # Ok::<(), coffer_core::vault::VaultError>(())
    /// ```
    #[must_use]
    pub fn estimate_words(&self) -> String {
        let secs = self.estimate.as_secs();
        match secs {
            0 => "under a second".to_owned(),
            1..120 => format!("about {secs} s"),
            _ => format!("about {} min", (secs + 30) / 60),
        }
    }
}

fn default_lanes() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    u32::try_from(cores).unwrap_or(4).clamp(2, 4)
}

/// Derives the 32-byte key-encryption key from a password: Argon2id v1.3 over the NFC-normalized UTF-8 password.
///
/// # Errors
/// [`VaultError::Kdf`] if Argon2 cannot run (memory).
pub(crate) fn derive_kek(
    params: &KdfParams,
    password: &SecretString,
    salt: &[u8; SALT_LEN],
) -> Result<SecretBytes<32>, VaultError> {
    let mut normalized = SecretString::with_capacity(password.expose().len() * 3 + 4);
    normalized.expose_mut().extend(password.expose().nfc());
    derive_raw(params, normalized.expose().as_bytes(), salt)
}

/// Argon2id v1.3 with a 32-byte output, written straight into a zeroizing buffer.
pub(crate) fn derive_raw(params: &KdfParams, input: &[u8], salt: &[u8]) -> Result<SecretBytes<32>, VaultError> {
    let p = argon2::Params::new(params.memory_kib, params.passes, params.lanes, Some(32))
        .map_err(|_| VaultError::Corrupted)?;
    // Argon2's own allocation is freed without being wiped; its last blocks determine the key, so use memory we
    // wipe ourselves.
    let mut blocks: Vec<argon2::Block> = Vec::new();
    blocks.try_reserve_exact(p.block_count()).map_err(|_| VaultError::Kdf)?;
    blocks.resize(p.block_count(), argon2::Block::new());
    let mut blocks = zeroize::Zeroizing::new(blocks);
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut out = SecretBytes::<32>::zero();
    argon
        .hash_password_into_with_memory(input, salt, out.expose_mut(), &mut blocks[..])
        .map_err(|_| VaultError::Kdf)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_enforces_policy_and_bounds() {
        assert!(KdfParams::new(256 * 1024, 2, 1).is_ok());
        assert!(KdfParams::new(256 * 1024 - 1, 2, 1).is_err());
        assert!(KdfParams::new(256 * 1024, 1, 2).is_err());
        assert!(KdfParams::new(256 * 1024, 2, 0).is_err());
        assert!(KdfParams::new(4 * 1024 * 1024, 64, 16).is_ok());
        assert!(KdfParams::new(4 * 1024 * 1024 + 1, 2, 1).is_err());
        assert!(KdfParams::new(256 * 1024, 65, 1).is_err());
        assert!(KdfParams::new(256 * 1024, 2, 17).is_err());
        assert!(KdfParams::policy_minimum().meets_policy());
        assert!(!KdfParams::insecure_for_tests().meets_policy());
    }

    #[test]
    fn read_bounds() {
        let excessive = |m, t, p| matches!(KdfParams::from_file(m, t, p), Err(VaultError::ExcessiveWork { .. }));
        let corrupt = |m, t, p| matches!(KdfParams::from_file(m, t, p), Err(VaultError::Corrupted));
        assert!(excessive(u32::MAX, 1, 1));
        assert!(excessive(4 * 1024 * 1024 + 1, 1, 1));
        assert!(excessive(64, 65, 1));
        assert!(excessive(64, 1, 17));
        assert!(corrupt(64, 0, 1));
        assert!(corrupt(64, 1, 0));
        assert!(corrupt(15, 1, 2));
        assert!(KdfParams::from_file(16, 1, 2).is_ok());
        assert!(KdfParams::from_file(4 * 1024 * 1024, 64, 16).is_ok());
    }

    /// Known answers from the reference implementation (Debian's `argon2` 0~20190702):
    /// `printf 'coffer password' | argon2 saltsaltsaltsaltsaltsaltsaltsalt -id -t 1 -k 64 -p 1 -l 32 -r` and the same
    /// with `-t 2 -k 256 -p 2`.
    #[test]
    fn argon2id_known_answers() {
        let salt = *b"saltsaltsaltsaltsaltsaltsaltsalt";
        let pw = SecretString::from("coffer password".to_owned());
        let k = derive_kek(&KdfParams { memory_kib: 64, passes: 1, lanes: 1 }, &pw, &salt).unwrap();
        assert_eq!(hex::encode(k.expose()), "24dd5d4f9a6788b48ad6a611392c8b65f7ace477ba07f13dae5918566509c7a7");
        let k = derive_kek(&KdfParams { memory_kib: 256, passes: 2, lanes: 2 }, &pw, &salt).unwrap();
        assert_eq!(hex::encode(k.expose()), "30d8a8c32447f36f57f2ce59248db21fe1be3a7ba2cb239589b94a7ee4804035");
    }

    /// The same password typed in composed or decomposed Unicode derives the same key.
    #[test]
    fn password_is_nfc_normalized() {
        let p = KdfParams::insecure_for_tests();
        let salt = [7u8; SALT_LEN];
        let composed = SecretString::from("caf\u{e9}".to_owned());
        let decomposed = SecretString::from("cafe\u{301}".to_owned());
        let a = derive_kek(&p, &composed, &salt).unwrap();
        let b = derive_kek(&p, &decomposed, &salt).unwrap();
        assert_eq!(a, b);
        let c = derive_kek(&p, &SecretString::from("cafe".to_owned()), &salt).unwrap();
        assert_ne!(a, c);
    }
}

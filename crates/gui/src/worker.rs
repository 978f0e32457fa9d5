//! Slow work off the UI thread: a named worker thread (`coffer-worker`) runs one job at a time and wakes the UI
//! when a result is ready. The UI shows a spinner meanwhile and never blocks on it.
//!
//! Today the job is opening a seed (BIP39's PBKDF2 and the first derivations); Argon2 unlocking of the vault joins
//! it when the vault lands.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use coffer_core::secret::SecretString;
use coffer_core::{Account, Chain, Mnemonic, Seed};

/// The chains the app shows, in order.
pub const CHAINS: [Chain; 5] = [Chain::Iota, Chain::Sui, Chain::IotaStardust, Chain::Solana, Chain::Stellar];

/// Where a seed came from (shown on screen; no secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOrigin {
    /// Generated in this session; its backup was checked.
    Created,
    /// Imported from a mnemonic.
    Imported,
}

/// Work for the worker thread. Secrets move in and are dropped (wiped) there.
#[derive(Debug)]
pub enum Job {
    /// Compute the BIP39 seed and the first account of every chain.
    OpenSeed {
        /// The mnemonic.
        mnemonic: Mnemonic,
        /// The optional BIP39 passphrase (`""` for none).
        passphrase: SecretString,
        /// Where it came from.
        origin: SeedOrigin,
    },
}

/// A finished job.
#[derive(Debug)]
pub enum Outcome {
    /// The seed is ready, with the first account of every chain in [`CHAINS`].
    SeedOpened {
        /// The BIP39 seed (secret; wiped on drop).
        seed: Seed,
        /// One account per chain, at position 0.
        accounts: Vec<Account>,
        /// Where it came from.
        origin: SeedOrigin,
    },
    /// The job failed; the message holds no secret.
    Failed(String),
}

/// The `n`th address of `chain` on `seed`: the address index for chains that have one, else the account number.
///
/// # Errors
/// [`coffer_core::ChainError::OutOfRange`] past 2^31 − 1.
pub fn nth_account(seed: &Seed, chain: Chain, n: u32) -> Result<Account, coffer_core::ChainError> {
    if chain.uses_index() { chain.account(seed, 0, n) } else { chain.account(seed, n, 0) }
}

fn run(job: Job) -> Outcome {
    match job {
        Job::OpenSeed { mnemonic, passphrase, origin } => {
            let seed = mnemonic.to_seed(passphrase.expose());
            drop(passphrase);
            drop(mnemonic);
            let accounts: Result<Vec<Account>, _> = CHAINS.iter().map(|&c| nth_account(&seed, c, 0)).collect();
            match accounts {
                Ok(accounts) => Outcome::SeedOpened { seed, accounts, origin },
                Err(e) => Outcome::Failed(e.to_string()),
            }
        }
    }
}

/// The handle the UI keeps: submit a job, poll for its outcome.
#[derive(Debug)]
pub struct Worker {
    jobs: Sender<(u64, Job)>,
    outcomes: Receiver<(u64, Outcome)>,
    /// The job whose outcome the UI waits for; outcomes of older (cancelled) jobs are dropped.
    pending: Option<u64>,
    next_id: u64,
}

impl Worker {
    /// Starts the `coffer-worker` thread. `wake` is called after each job (the app passes
    /// `egui::Context::request_repaint`).
    ///
    /// # Errors
    /// If the operating system cannot start a thread.
    pub fn spawn(wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (jobs, job_rx) = mpsc::channel::<(u64, Job)>();
        let (out_tx, outcomes) = mpsc::channel();
        thread::Builder::new().name("coffer-worker".into()).spawn(move || {
            for (id, job) in job_rx {
                if out_tx.send((id, run(job))).is_err() {
                    break;
                }
                wake();
            }
        })?;
        Ok(Self { jobs, outcomes, pending: None, next_id: 0 })
    }

    /// Hands a job to the thread; its outcome replaces any outstanding one.
    pub fn submit(&mut self, job: Job) {
        self.next_id += 1;
        self.pending = Some(self.next_id);
        if self.jobs.send((self.next_id, job)).is_err() {
            self.pending = None;
        }
    }

    /// Whether a job is running.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Forgets the outstanding job: its outcome (and any secret in it) is dropped when it arrives.
    pub fn cancel(&mut self) {
        self.pending = None;
    }

    /// The outcome of the outstanding job, if it has finished.
    pub fn poll(&mut self) -> Option<Outcome> {
        while let Ok((id, outcome)) = self.outcomes.try_recv() {
            if Some(id) == self.pending {
                self.pending = None;
                return Some(outcome);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    fn wait(w: &mut Worker) -> Outcome {
        let t0 = Instant::now();
        loop {
            if let Some(o) = w.poll() {
                return o;
            }
            assert!(t0.elapsed() < Duration::from_secs(10), "worker timed out");
            thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn opens_a_seed_on_the_named_thread() {
        let (tx, rx) = mpsc::channel();
        let mut w = Worker::spawn(move || {
            let _ = tx.send(thread::current().name().map(str::to_owned));
        })
        .unwrap();
        let mnemonic = Mnemonic::parse(ABOUT).unwrap();
        w.submit(Job::OpenSeed {
            mnemonic,
            passphrase: SecretString::from(String::new()),
            origin: SeedOrigin::Imported,
        });
        assert!(w.busy());
        match wait(&mut w) {
            Outcome::SeedOpened { accounts, origin, .. } => {
                assert_eq!(accounts.len(), CHAINS.len());
                assert_eq!(origin, SeedOrigin::Imported);
                assert!(accounts[0].address.starts_with("0x"));
            }
            Outcome::Failed(e) => panic!("{e}"),
        }
        assert!(!w.busy());
        assert_eq!(rx.recv().unwrap().as_deref(), Some("coffer-worker"));
    }

    #[test]
    fn cancelled_outcomes_are_dropped() {
        let mut w = Worker::spawn(|| {}).unwrap();
        let job = || Job::OpenSeed {
            mnemonic: Mnemonic::parse(ABOUT).unwrap(),
            passphrase: SecretString::from(String::new()),
            origin: SeedOrigin::Created,
        };
        w.submit(job());
        w.cancel();
        thread::sleep(Duration::from_millis(200));
        assert!(w.poll().is_none());
        w.submit(job());
        assert!(matches!(wait(&mut w), Outcome::SeedOpened { origin: SeedOrigin::Created, .. }));
    }

    #[test]
    fn nth_account_uses_index_or_account() {
        let seed = Mnemonic::parse(ABOUT).unwrap().to_seed("");
        assert_eq!(nth_account(&seed, Chain::Iota, 2).unwrap().path.to_string(), "m/44'/4218'/0'/0'/2'");
        assert_eq!(nth_account(&seed, Chain::Stellar, 2).unwrap().path.to_string(), "m/44'/148'/2'");
        assert_eq!(nth_account(&seed, Chain::Solana, 1).unwrap().path.to_string(), "m/44'/501'/1'/0'");
    }
}

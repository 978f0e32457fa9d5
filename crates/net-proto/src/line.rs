//! A line reader that never buffers more than its limit.

use std::io::BufRead;

use crate::ProtoError;

/// Reads `\n`-terminated lines of at most `max` bytes (newline included) from a [`BufRead`]. A longer line is
/// refused with [`ProtoError::LineTooLong`] and skipped up to its newline without being buffered, so the next call
/// reads the line after it: a peer cannot make the reader allocate more than `max` bytes.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    max: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> LineReader<R> {
    /// A reader of lines of at most `max` bytes.
    pub fn new(inner: R, max: usize) -> Self {
        Self { inner, max, buf: Vec::new() }
    }

    /// The next line without its newline (and without a `\r` before it), or `None` at the end of the input.
    ///
    /// # Errors
    /// [`ProtoError::LineTooLong`] for a line over the limit (skipped; the reader stays usable),
    /// [`ProtoError::Truncated`] when the input ends inside a line, [`ProtoError::Io`] when reading fails.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, ProtoError> {
        self.buf.clear();
        let mut too_long = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ProtoError::Io(e)),
            };
            if available.is_empty() {
                if too_long {
                    return Err(ProtoError::LineTooLong { limit: self.max });
                }
                return if self.buf.is_empty() { Ok(None) } else { Err(ProtoError::Truncated) };
            }
            let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            let used = chunk.len();
            if !too_long {
                if self.buf.len() + used > self.max {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(chunk);
                }
            }
            self.inner.consume(used);
            if done {
                if too_long {
                    return Err(ProtoError::LineTooLong { limit: self.max });
                }
                self.buf.pop();
                if self.buf.last() == Some(&b'\r') {
                    self.buf.pop();
                }
                return Ok(Some(&self.buf));
            }
        }
    }

    /// The reader inside.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::{BufReader, Read};

    use super::*;

    /// A reader that fails the test if anyone reads more than `budget` bytes ahead of what was consumed: proves the
    /// reader streams instead of slurping.
    struct Endless {
        served: usize,
    }
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b'x');
            self.served += buf.len();
            Ok(buf.len())
        }
    }

    #[test]
    fn reads_lines_and_strips_newlines() {
        let mut r = LineReader::new(&b"one\ntwo\r\n\nthree\n"[..], 16);
        assert_eq!(r.next_line().unwrap().unwrap(), b"one");
        assert_eq!(r.next_line().unwrap().unwrap(), b"two");
        assert_eq!(r.next_line().unwrap().unwrap(), b"");
        assert_eq!(r.next_line().unwrap().unwrap(), b"three");
        assert!(r.next_line().unwrap().is_none());
    }

    #[test]
    fn a_long_line_is_refused_and_skipped() {
        let input = format!("ok\n{}\nnext\n", "y".repeat(100));
        let mut r = LineReader::new(BufReader::with_capacity(8, input.as_bytes()), 16);
        assert_eq!(r.next_line().unwrap().unwrap(), b"ok");
        assert!(matches!(r.next_line(), Err(ProtoError::LineTooLong { limit: 16 })));
        assert_eq!(r.next_line().unwrap().unwrap(), b"next");
        // Exactly at the limit (newline included) is fine.
        let mut r = LineReader::new(&b"123456789012345\n"[..], 16);
        assert_eq!(r.next_line().unwrap().unwrap().len(), 15);
        let mut r = LineReader::new(&b"1234567890123456\n"[..], 16);
        assert!(r.next_line().is_err());
    }

    #[test]
    fn an_endless_line_is_not_buffered() {
        let mut src = BufReader::with_capacity(4096, Endless { served: 0 });
        // Endless never ends, so the reader must keep skipping; stop it by limiting the source.
        let limited = BufReader::with_capacity(4096, (&mut src).take(10 << 20));
        let mut r = LineReader::new(limited, 1024);
        assert!(matches!(r.next_line(), Err(ProtoError::LineTooLong { .. })));
        assert!(r.buf.capacity() <= 1024 + 4096, "buffered {} bytes", r.buf.capacity());
        assert_eq!(src.get_ref().served, 10 << 20);
    }

    #[test]
    fn input_ending_inside_a_line_is_truncated() {
        let mut r = LineReader::new(&b"partial"[..], 16);
        assert!(matches!(r.next_line(), Err(ProtoError::Truncated)));
    }
}

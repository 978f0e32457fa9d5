//! A bounded byte reader shared by the BCS (IOTA, Sui), compact-u16 (Solana) and XDR (Stellar) decoders.
//!
//! Every read checks the remaining input first; declared lengths are checked against what is left before anything
//! is allocated, so a hostile length cannot make the decoder reserve memory it will never fill.

use super::DecodeError;

/// A cursor over untrusted bytes.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// Current offset from the start of the input.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// The bytes from `start` up to the current position.
    pub(crate) fn since(&self, start: usize) -> &'a [u8] {
        &self.bytes[start.min(self.pos)..self.pos]
    }

    /// The unread rest of the input, without consuming it.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    pub(crate) fn err(&self, what: &'static str) -> DecodeError {
        DecodeError::Invalid { offset: self.pos, what }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(DecodeError::Truncated { offset: self.pos, needed: n });
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    /// Fails with [`DecodeError::TrailingBytes`] unless the whole input was read.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes { offset: self.pos, count: self.remaining() })
        }
    }

    /// Checks that `count` elements of at least `min_size` bytes each can still follow.
    pub(crate) fn check_count(&self, count: usize, min_size: usize) -> Result<usize, DecodeError> {
        let needed = count.saturating_mul(min_size.max(1));
        if needed > self.remaining() {
            return Err(DecodeError::LengthTooLarge { offset: self.pos, length: count as u64 });
        }
        Ok(count)
    }

    // ---- BCS (little-endian, ULEB128 lengths) ----

    pub(crate) fn u16_le(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub(crate) fn u32_le(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub(crate) fn u64_le(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A canonical ULEB128 value below 2^32 (BCS lengths and enum tags).
    pub(crate) fn uleb128(&mut self) -> Result<u32, DecodeError> {
        let start = self.pos;
        let mut value: u64 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if shift > 0 && byte == 0 {
                    return Err(DecodeError::Invalid { offset: start, what: "non-canonical ULEB128" });
                }
                return u32::try_from(value)
                    .map_err(|_| DecodeError::Invalid { offset: start, what: "ULEB128 value above 2^32" });
            }
        }
        Err(DecodeError::Invalid { offset: start, what: "ULEB128 longer than 5 bytes" })
    }

    /// A BCS vector length, checked against the remaining input for elements of at least `min_size` bytes.
    pub(crate) fn bcs_len(&mut self, min_size: usize) -> Result<usize, DecodeError> {
        let n = self.uleb128()? as usize;
        self.check_count(n, min_size)
    }

    /// A BCS enum tag.
    pub(crate) fn bcs_tag(&mut self) -> Result<u32, DecodeError> {
        self.uleb128()
    }

    /// A BCS `vector<u8>`.
    pub(crate) fn bcs_bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.bcs_len(1)?;
        self.take(n)
    }

    /// A BCS string holding a Move identifier (`[A-Za-z_][A-Za-z0-9_]*`, at most 128 bytes). Anything else is
    /// refused: the chain would reject it, and it could carry terminal escapes into the summary.
    pub(crate) fn move_identifier(&mut self) -> Result<String, DecodeError> {
        let start = self.pos;
        let bytes = self.bcs_bytes()?;
        let valid = !bytes.is_empty()
            && bytes.len() <= 128
            && !bytes[0].is_ascii_digit()
            && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
            && bytes != b"_";
        if !valid {
            return Err(DecodeError::Invalid { offset: start, what: "not a Move identifier" });
        }
        Ok(bytes.iter().map(|&b| char::from(b)).collect())
    }

    // ---- Solana compact-u16 ----

    /// A canonical compact-u16 (1 to 3 bytes, 7 bits each, least significant first).
    pub(crate) fn compact_u16(&mut self) -> Result<u16, DecodeError> {
        let start = self.pos;
        let mut value: u32 = 0;
        for i in 0..3 {
            let byte = self.u8()?;
            value |= u32::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                if i > 0 && byte == 0 {
                    return Err(DecodeError::Invalid { offset: start, what: "non-canonical compact-u16" });
                }
                return u16::try_from(value)
                    .map_err(|_| DecodeError::Invalid { offset: start, what: "compact-u16 above 65535" });
            }
        }
        Err(DecodeError::Invalid { offset: start, what: "compact-u16 longer than 3 bytes" })
    }

    /// A compact-u16 array length, checked against the remaining input.
    pub(crate) fn compact_len(&mut self, min_size: usize) -> Result<usize, DecodeError> {
        let n = usize::from(self.compact_u16()?);
        self.check_count(n, min_size)
    }

    // ---- XDR (big-endian, 4-byte aligned) ----

    pub(crate) fn u32_be(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub(crate) fn i32_be(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    pub(crate) fn u64_be(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    pub(crate) fn i64_be(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    /// An XDR bool or optional-pointer flag: exactly 0 or 1.
    pub(crate) fn xdr_bool(&mut self) -> Result<bool, DecodeError> {
        match self.u32_be()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::Invalid { offset: self.pos - 4, what: "an XDR bool must be 0 or 1" }),
        }
    }

    /// XDR variable-length opaque (or string) of at most `max` bytes, with zero padding to 4 bytes.
    pub(crate) fn xdr_opaque(&mut self, max: usize) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        let n = self.u32_be()? as usize;
        if n > max {
            return Err(DecodeError::LengthTooLarge { offset: start, length: n as u64 });
        }
        let data = self.take(n)?;
        let pad = (4 - n % 4) % 4;
        if self.take(pad)?.iter().any(|&b| b != 0) {
            return Err(DecodeError::Invalid { offset: self.pos - pad, what: "XDR padding is not zero" });
        }
        Ok(data)
    }

    /// An XDR array length of at most `max` elements, each at least `min_size` bytes.
    pub(crate) fn xdr_len(&mut self, max: usize, min_size: usize) -> Result<usize, DecodeError> {
        let start = self.pos;
        let n = self.u32_be()? as usize;
        if n > max {
            return Err(DecodeError::LengthTooLarge { offset: start, length: n as u64 });
        }
        self.check_count(n, min_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uleb128_canonical() {
        assert_eq!(Reader::new(&[0x00]).uleb128().unwrap(), 0);
        assert_eq!(Reader::new(&[0x7f]).uleb128().unwrap(), 127);
        assert_eq!(Reader::new(&[0x80, 0x01]).uleb128().unwrap(), 128);
        assert_eq!(Reader::new(&[0xc8, 0x01]).uleb128().unwrap(), 200);
        assert_eq!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]).uleb128().unwrap(), u32::MAX);
        assert!(Reader::new(&[0x80, 0x00]).uleb128().is_err());
        assert!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x1f]).uleb128().is_err());
        assert!(Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).uleb128().is_err());
        assert!(matches!(Reader::new(&[0x80]).uleb128(), Err(DecodeError::Truncated { .. })));
    }

    #[test]
    fn compact_u16_canonical() {
        assert_eq!(Reader::new(&[0x05]).compact_u16().unwrap(), 5);
        assert_eq!(Reader::new(&[0x80, 0x01]).compact_u16().unwrap(), 128);
        assert_eq!(Reader::new(&[0xff, 0xff, 0x03]).compact_u16().unwrap(), 0xffff);
        assert!(Reader::new(&[0xff, 0xff, 0x04]).compact_u16().is_err());
        assert!(Reader::new(&[0x80, 0x00]).compact_u16().is_err());
        assert!(Reader::new(&[0x80, 0x80, 0x80, 0x01]).compact_u16().is_err());
    }

    #[test]
    fn lengths_are_bounded_by_input() {
        // A vector claiming 2^32-1 elements in a 6-byte input fails before any allocation.
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
        assert!(matches!(r.bcs_len(1), Err(DecodeError::LengthTooLarge { .. })));
        let mut r = Reader::new(&[0, 0, 0, 3, 1, 2, 3, 1]);
        assert!(r.xdr_opaque(64).is_err(), "non-zero padding");
        let mut r = Reader::new(&[0, 0, 0, 3, 1, 2, 3, 0]);
        assert_eq!(r.xdr_opaque(64).unwrap(), &[1, 2, 3]);
        r.finish().unwrap();
        assert!(Reader::new(&[0, 0, 0, 65]).xdr_opaque(64).is_err());
    }
}

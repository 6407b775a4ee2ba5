//! Padmé padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
//! Communication with PURBs", PETS 2019, §4): a sealed length rounded up so that it tells at most
//! O(log log n) bits, at a cost of at most 12% (and less as the length grows). A carrier then
//! cannot count households by the size of a bundle.

/// The padded length of a plaintext of `len` bytes.
pub fn padded_len(len: usize) -> usize {
    if len < 2 {
        return len.max(1);
    }
    let e = usize::BITS - 1 - len.leading_zeros(); // floor(log2 len)
    let s = u32::BITS - e.leading_zeros(); // floor(log2 e) + 1
    let last_bits = e - s;
    let mask = (1usize << last_bits) - 1;
    (len + mask) & !mask
}

/// `data` behind its length (4 bytes, little-endian), then zeros up to the padded length.
pub fn pad(data: &[u8]) -> Vec<u8> {
    let total = padded_len(data.len() + 4);
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    out.resize(total, 0);
    out
}

/// The data of a padded plaintext; `None` when its length prefix does not fit.
pub fn unpad(padded: &[u8]) -> Option<&[u8]> {
    let len = u32::from_le_bytes(padded.get(..4)?.try_into().ok()?) as usize;
    padded.get(4..4 + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_costs_at_most_twelve_percent_and_round_trips() {
        for len in [0usize, 1, 5, 100, 1000, 4095, 65_537, 300_000, 3_000_000] {
            let data = vec![7u8; len];
            let padded = pad(&data);
            assert_eq!(unpad(&padded), Some(&data[..]));
            let overhead = padded.len() as f64 / (len + 4) as f64;
            assert!(overhead <= 1.12, "{len}: {overhead}");
        }
        // Lengths close together share a padded length: the size tells little.
        assert_eq!(padded_len(300_000), padded_len(296_000));
        assert!(unpad(&[9, 0, 0, 0, 1]).is_none());
    }
}

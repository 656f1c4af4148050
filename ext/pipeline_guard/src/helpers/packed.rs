//! Batch inputs copied out of a Ruby Array of Strings into one buffer, so
//! the work can run without the GVL (another thread may mutate or free the
//! original Strings meanwhile) at the cost of a single allocation.
//!
//! The buffer may hold plaintext, so it is wiped when dropped, and growing
//! it never leaves an unwiped copy behind in freed memory.
use magnus::{prelude::*, Error, RArray, RString};
use pipeline_guard_core::crypto::WipedVec;

use crate::helpers::rstring::with_bytes;

pub struct PackedStrings {
    data: WipedVec,
    ends: Vec<usize>,
}

impl PackedStrings {
    /// Copies every element; a non-String element raises TypeError.
    pub fn from_array(array: RArray) -> Result<Self, Error> {
        // Size the buffer from the elements that are already Strings (no
        // Ruby call), so it is usually allocated once.
        let guess: usize = array
            .into_iter()
            .filter_map(RString::from_value)
            .map(|s| s.len())
            .sum();
        let mut data = WipedVec::with_capacity(guess);
        let mut ends = Vec::with_capacity(array.len());
        for value in array.into_iter() {
            let s = RString::try_convert(value)?;
            with_bytes(s, |bytes| append_wiping(&mut data, bytes));
            ends.push(data.len());
        }
        Ok(Self { data, ends })
    }

    /// The elements as byte slices, in order.
    pub fn slices(&self) -> Vec<&[u8]> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let s = &self.data[start..end];
                start = end;
                s
            })
            .collect()
    }
}

/// `extend_from_slice`, except that when the buffer must grow the old
/// allocation is wiped (by `WipedVec`'s drop) instead of being freed as is.
fn append_wiping(data: &mut WipedVec, bytes: &[u8]) {
    let needed = data.len() + bytes.len();
    if needed > data.capacity() {
        let mut bigger = WipedVec::with_capacity(needed.max(data.capacity() * 2));
        bigger.extend_from_slice(data);
        *data = bigger;
    }
    data.extend_from_slice(bytes);
}

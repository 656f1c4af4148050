//! Batch inputs copied out of a Ruby Array of Strings into one buffer, so
//! the work can run without the GVL (another thread may mutate or free the
//! original Strings meanwhile) at the cost of a single allocation.
use magnus::{prelude::*, Error, RArray, RString};

pub struct PackedStrings {
    data: Vec<u8>,
    ends: Vec<usize>,
}

impl PackedStrings {
    /// Copies every element; a non-String element raises TypeError.
    pub fn from_array(array: RArray) -> Result<Self, Error> {
        let mut data = Vec::new();
        let mut ends = Vec::with_capacity(array.len());
        for value in array.into_iter() {
            let s = RString::try_convert(value)?;
            // SAFETY: copied before any further Ruby call.
            data.extend_from_slice(unsafe { s.as_slice() });
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

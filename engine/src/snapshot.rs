//! Index snapshots: a built [`Engine`] written as bytes ([`Engine::write_snapshot`]) and
//! read back ([`Engine::read_snapshot`]), so a process starts serving without parsing the
//! documents and building the indexes again.
//!
//! # Why
//!
//! Building costs a sort of every record, one of every name and linear passes over all of
//! them, after the documents were parsed: it grows with the data at every start. Reading a
//! snapshot is one sequential read and a copy of the very arrays the engine is made of
//! (checked on the way), so a start costs roughly the time to read the file.
//!
//! # Format (version [`FORMAT_VERSION`])
//!
//! Every integer is little-endian. A 32-byte header:
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 8 | magic `LBINDEX` followed by `0x1a` |
//! | 8 | 4 | format version |
//! | 12 | 4 | reserved, 0 |
//! | 16 | 8 | payload length in bytes (the file is exactly 32 + this long) |
//! | 24 | 8 | XXH3-64 (seed 0) of the payload |
//!
//! then the payload: the engine's parts in a fixed order, each either a string (a `u64`
//! byte length, then UTF-8 bytes), a number (`u64`), or a list of integers (a `u64` count,
//! then the integers, 4 or 8 bytes each). The order, part by part, is `encode`: the
//! [`SnapshotInfo`] first (the caller's data version and notes), then the record columns,
//! (score, profile, combination, id ends, ids, then `playedAt` in milliseconds since the
//! epoch, `u64::MAX` for none: format 2 added it), the profiles, the facets, the names, the five score-side groupings, the four levels and
//! the four cross-sort wavelet matrices (each level of bits as its words; the rank
//! directories are recomputed on read). The meta (facet counts) is recomputed on read.
//!
//! # Safety: what reading guarantees
//!
//! - No `unsafe` and no reinterpretation of bytes as structures: every integer is decoded
//!   from its bytes into an owned vector, every string is checked to be UTF-8.
//! - A file whose length differs from its header's is refused before its payload is read
//!   ([`SnapshotError::WrongLength`]: truncated, or with bytes appended); a file that does
//!   not start with the magic is not a snapshot ([`SnapshotError::NotASnapshot`]); another
//!   format version is refused ([`SnapshotError::UnsupportedFormat`]); a payload whose
//!   checksum differs is corrupt ([`SnapshotError::ChecksumMismatch`]).
//! - Every count is checked against the bytes left before anything is allocated, so no
//!   length in the file can make the reader allocate more than the file holds.
//! - The structure the queries' arithmetic relies on is checked on read, whatever the
//!   checksum says: column lengths agree, every record number, profile, combination and
//!   name rank is in range, every grouping's starts run from 0 to its length without
//!   decreasing, every time is a [`PlayedAt`] or none, each wavelet level holds exactly its length in bits (nothing past it), and
//!   id ends fall on character boundaries. A file breaking one is
//!   [`SnapshotError::Malformed`]. So an engine read from any bytes keeps the engine's
//!   promise: no panic on any query.
//! - Not re-verified: that the indexes agree with each other (records in leaderboard
//!   order, groupings holding the right records). That is what the format version and the
//!   checksum are for: a file that passes both is what [`Engine::write_snapshot`] of this
//!   format wrote, byte for byte.
//!
//! # Staleness
//!
//! The engine knows no files: the writer hands over a data version ([`SnapshotInfo`]) and
//! the reader returns it; the caller compares it with its data's and rebuilds on a
//! difference. [`FORMAT_VERSION`] changes whenever the payload's layout changes or the
//! build would index the same records differently, so an old file is refused, never
//! misread.

use std::fmt;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use leaderboard_model::{PlayedAt, Profile};
use xxhash_rust::xxh3::Xxh3;

use crate::build::{group_count, meta, MAX_RECORDS};
use crate::order::{GroupedOrder, Grouping};
use crate::wavelet::WaveletMatrix;
use crate::{
    CrossSortPositions, Engine, Facets, LevelIndex, Names, Records, ScoreOrders, LEVEL_GROUPINGS,
    NO_TIME,
};

/// The layout written and the only one read. Bump it with any change to `encode`/`decode`
/// or to what the build produces for the same records.
pub const FORMAT_VERSION: u32 = 2;

const MAGIC: [u8; 8] = *b"LBINDEX\x1a";
const HEADER_LEN: u64 = 32;
/// Integers are converted through a buffer of this many bytes.
const CHUNK_BYTES: usize = 1 << 16;

/// What the caller stores with a snapshot and gets back on reading it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// Identifies the data the engine was built from (the caller's version of its files):
    /// a reader compares it with its data's current version and rebuilds on a difference.
    pub data_version: String,
    /// Lines the caller keeps with the snapshot (the loader's warnings about skipped
    /// records, so a start from the snapshot reports what a start from the files would).
    pub notes: Vec<String>,
}

/// Why a snapshot could not be written or read.
#[derive(Debug)]
pub enum SnapshotError {
    Io(io::Error),
    /// The bytes do not start with the snapshot magic: another kind of file.
    NotASnapshot,
    /// A snapshot of another format version.
    UnsupportedFormat {
        found: u32,
    },
    /// The file is not as long as its header says: cut short (`actual < header`) or with
    /// bytes after the payload.
    WrongLength {
        header: u64,
        actual: u64,
    },
    /// The payload's checksum differs from the header's: the bytes changed after writing.
    ChecksumMismatch,
    /// A part breaks the structure the engine relies on (named in `what`).
    Malformed {
        what: &'static str,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Io(e) => write!(f, "{e}"),
            SnapshotError::NotASnapshot => {
                f.write_str("not an index snapshot (it does not start with the snapshot magic)")
            }
            SnapshotError::UnsupportedFormat { found } => write!(
                f,
                "snapshot format {found} is not this build's format {FORMAT_VERSION}"
            ),
            SnapshotError::WrongLength { header, actual } if actual < header => write!(
                f,
                "truncated: the snapshot should be {header} bytes long, the file has {actual}"
            ),
            SnapshotError::WrongLength { header, actual } => write!(
                f,
                "the snapshot should be {header} bytes long, the file has {actual} \
                 (bytes after the snapshot)"
            ),
            SnapshotError::ChecksumMismatch => {
                f.write_str("checksum mismatch: the snapshot's bytes changed after it was written")
            }
            SnapshotError::Malformed { what } => write!(f, "malformed snapshot: {what}"),
        }
    }
}

impl std::error::Error for SnapshotError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SnapshotError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for SnapshotError {
    fn from(e: io::Error) -> Self {
        SnapshotError::Io(e)
    }
}

fn malformed<T>(what: &'static str) -> Result<T, SnapshotError> {
    Err(SnapshotError::Malformed { what })
}

fn check(condition: bool, what: &'static str) -> Result<(), SnapshotError> {
    if condition {
        Ok(())
    } else {
        malformed(what)
    }
}

impl Engine {
    /// Writes this engine and `info` as a snapshot at the writer's position (the header
    /// is written last, through `Seek`, once the payload's length and checksum are
    /// known). Returns the bytes written.
    pub fn write_snapshot<W: Write + Seek>(
        &self,
        out: &mut W,
        info: &SnapshotInfo,
    ) -> Result<u64, SnapshotError> {
        let start = out.stream_position()?;
        out.write_all(&[0u8; HEADER_LEN as usize])?;
        let mut encoder = Encoder {
            out: BufWriter::with_capacity(CHUNK_BYTES, &mut *out),
            hash: Xxh3::new(),
            written: 0,
            scratch: Vec::with_capacity(CHUNK_BYTES),
        };
        encode(self, info, &mut encoder)?;
        let (payload_len, checksum) = (encoder.written, encoder.hash.digest());
        encoder.out.flush()?;
        drop(encoder);
        let mut header = Vec::with_capacity(HEADER_LEN as usize);
        header.extend_from_slice(&MAGIC);
        header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        header.extend_from_slice(&payload_len.to_le_bytes());
        header.extend_from_slice(&checksum.to_le_bytes());
        out.seek(SeekFrom::Start(start))?;
        out.write_all(&header)?;
        out.seek(SeekFrom::Start(start + HEADER_LEN + payload_len))?;
        Ok(HEADER_LEN + payload_len)
    }

    /// Reads a snapshot of `length` bytes (the whole input, e.g. the file's size) written
    /// by [`Engine::write_snapshot`]: the engine and the info stored with it. Every way the
    /// bytes can be wrong is an error (module docs, "Safety"), never a panic.
    pub fn read_snapshot<R: Read>(
        input: R,
        length: u64,
    ) -> Result<(Engine, SnapshotInfo), SnapshotError> {
        let mut input = BufReader::with_capacity(CHUNK_BYTES, input);
        let mut header = [0u8; HEADER_LEN as usize];
        let available = usize::try_from(length.min(HEADER_LEN)).unwrap_or(0);
        let header_read = header.get_mut(..available).unwrap_or(&mut []);
        input.read_exact(header_read)?;
        let field = |at: usize| -> [u8; 8] {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(header.get(at..at + 8).unwrap_or(&[0; 8]));
            bytes
        };
        if available < MAGIC.len() || field(0) != MAGIC {
            return Err(SnapshotError::NotASnapshot);
        }
        if length < HEADER_LEN {
            return Err(SnapshotError::WrongLength {
                header: HEADER_LEN,
                actual: length,
            });
        }
        let [v0, v1, v2, v3, ..] = field(8);
        let format = u32::from_le_bytes([v0, v1, v2, v3]);
        if format != FORMAT_VERSION {
            return Err(SnapshotError::UnsupportedFormat { found: format });
        }
        if field(8).get(4..) != Some(&[0u8; 4][..]) {
            return malformed("the header's reserved field is not 0");
        }
        let payload_len = u64::from_le_bytes(field(16));
        let checksum = u64::from_le_bytes(field(24));
        let expected = HEADER_LEN.saturating_add(payload_len);
        if expected != length {
            return Err(SnapshotError::WrongLength {
                header: expected,
                actual: length,
            });
        }
        let mut decoder = Decoder {
            input,
            left: payload_len,
            hash: Xxh3::new(),
            scratch: vec![0u8; CHUNK_BYTES],
        };
        let decoded = decode(&mut decoder).and_then(|decoded| {
            check(decoder.left == 0, "bytes left after the last part").map(|()| decoded)
        });
        if let Err(SnapshotError::Malformed { .. }) = decoded {
            // Damaged bytes usually break the structure before the end: read the rest so
            // the error says whether the bytes changed (the checksum) or were written so.
            decoder.skip_rest()?;
        }
        if decoder.hash.digest() != checksum {
            return Err(SnapshotError::ChecksumMismatch);
        }
        decoded
    }
}

/// A fixed-size little-endian integer of the payload.
trait Int: Copy {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    /// `bytes` is `SIZE` long (a shorter slice reads as 0, never a panic).
    fn take(bytes: &[u8]) -> Self;
}

macro_rules! int {
    ($($t:ty),*) => {$(
        impl Int for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn take(bytes: &[u8]) -> Self {
                bytes.try_into().map_or(0, <$t>::from_le_bytes)
            }
        }
    )*};
}
int!(u32, u64, i64);

struct Encoder<W: Write> {
    out: W,
    hash: Xxh3,
    written: u64,
    scratch: Vec<u8>,
}

impl<W: Write> Encoder<W> {
    fn bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.hash.update(bytes);
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn number(&mut self, value: usize) -> io::Result<()> {
        self.bytes(&(value as u64).to_le_bytes())
    }

    fn string(&mut self, text: &str) -> io::Result<()> {
        self.number(text.len())?;
        self.bytes(text.as_bytes())
    }

    fn strings<'a>(&mut self, texts: impl ExactSizeIterator<Item = &'a str>) -> io::Result<()> {
        self.number(texts.len())?;
        for text in texts {
            self.string(text)?;
        }
        Ok(())
    }

    /// A list of integers: its count, then each. The iterator must yield `count` items.
    fn ints<T: Int>(
        &mut self,
        count: usize,
        values: impl IntoIterator<Item = T>,
    ) -> io::Result<()> {
        self.number(count)?;
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut written = 0usize;
        for value in values.into_iter().take(count) {
            value.put(&mut scratch);
            written += 1;
            if scratch.len() + T::SIZE > CHUNK_BYTES {
                self.bytes(&scratch)?;
                scratch.clear();
            }
        }
        self.bytes(&scratch)?;
        scratch.clear();
        self.scratch = scratch;
        if written == count {
            Ok(())
        } else {
            Err(io::Error::other(
                "a list yielded fewer items than its count",
            ))
        }
    }

    fn grouped(&mut self, order: &GroupedOrder) -> io::Result<()> {
        self.ints(order.records.len(), order.records.iter().copied())?;
        let starts = order.group_starts();
        self.ints(starts.len(), starts.iter().map(|&s| s as u64))
    }

    fn wavelet(&mut self, matrix: &WaveletMatrix) -> io::Result<()> {
        self.number(matrix.len())?;
        let words = matrix.len().div_ceil(64);
        let levels: Vec<_> = matrix.level_words().collect();
        self.number(levels.len())?;
        for level in levels {
            self.ints(words, level)?;
        }
        Ok(())
    }
}

struct Decoder<R: Read> {
    input: R,
    /// Payload bytes not read yet.
    left: u64,
    hash: Xxh3,
    scratch: Vec<u8>,
}

impl<R: Read> Decoder<R> {
    fn bytes(&mut self, into: &mut [u8]) -> Result<(), SnapshotError> {
        check(
            into.len() as u64 <= self.left,
            "a part runs past the end of the payload",
        )?;
        self.input.read_exact(into)?;
        self.hash.update(into);
        self.left -= into.len() as u64;
        Ok(())
    }

    /// Reads (and hashes) whatever is left of the payload.
    fn skip_rest(&mut self) -> Result<(), SnapshotError> {
        let mut scratch = std::mem::take(&mut self.scratch);
        // A part that failed half-way may not have put its buffer back.
        scratch.resize(CHUNK_BYTES, 0);
        while self.left > 0 {
            let take = usize::try_from(self.left).map_or(scratch.len(), |l| l.min(scratch.len()));
            let chunk = scratch.get_mut(..take).unwrap_or(&mut []);
            self.bytes(chunk)?;
        }
        self.scratch = scratch;
        Ok(())
    }

    fn u64(&mut self) -> Result<u64, SnapshotError> {
        let mut bytes = [0u8; 8];
        self.bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn usize(&mut self, what: &'static str) -> Result<usize, SnapshotError> {
        usize::try_from(self.u64()?).or_else(|_| malformed(what))
    }

    /// A count of items of at least `item_bytes` each, checked against the bytes left.
    fn count(&mut self, item_bytes: u64, what: &'static str) -> Result<usize, SnapshotError> {
        let count = self.u64()?;
        let fits = count
            .checked_mul(item_bytes)
            .is_some_and(|bytes| bytes <= self.left);
        check(fits, what)?;
        usize::try_from(count).or_else(|_| malformed(what))
    }

    fn string(&mut self, what: &'static str) -> Result<String, SnapshotError> {
        let len = self.count(1, what)?;
        let mut bytes = Vec::with_capacity(len);
        // Read into the spare capacity (no zeroing of what is overwritten at once).
        let read = (&mut self.input).take(len as u64).read_to_end(&mut bytes)?;
        check(read == len, "the file ended inside a part")?;
        self.hash.update(&bytes);
        self.left -= len as u64;
        String::from_utf8(bytes).or_else(|_| malformed(what))
    }

    fn strings(&mut self, what: &'static str) -> Result<Vec<String>, SnapshotError> {
        // Each string is at least its 8-byte length.
        let count = self.count(8, what)?;
        (0..count).map(|_| self.string(what)).collect()
    }

    fn ints<T: Int>(&mut self, what: &'static str) -> Result<Vec<T>, SnapshotError> {
        let count = self.count(T::SIZE as u64, what)?;
        let mut values = Vec::with_capacity(count);
        let mut scratch = std::mem::take(&mut self.scratch);
        let per_chunk = (CHUNK_BYTES / T::SIZE).max(1);
        let mut left = count;
        while left > 0 {
            let items = left.min(per_chunk);
            let chunk = scratch.get_mut(..items * T::SIZE).unwrap_or(&mut []);
            self.bytes(chunk)?;
            values.extend(chunk.chunks_exact(T::SIZE).map(T::take));
            left -= items;
        }
        self.scratch = scratch;
        check(values.len() == count, what)?;
        Ok(values)
    }

    fn usizes(&mut self, what: &'static str) -> Result<Vec<usize>, SnapshotError> {
        self.ints::<u64>(what)?
            .into_iter()
            .map(|value| usize::try_from(value).or_else(|_| malformed(what)))
            .collect()
    }

    fn grouped(
        &mut self,
        groups: usize,
        records_below: usize,
        what: &'static str,
    ) -> Result<GroupedOrder, SnapshotError> {
        let records = self.ints::<u32>(what)?;
        check(records.len() == records_below, what)?;
        let starts = self.usizes(what)?;
        GroupedOrder::from_parts(records, starts, groups, records_below)
            .map_or_else(|| malformed(what), Ok)
    }

    fn wavelet(&mut self, len: usize, what: &'static str) -> Result<WaveletMatrix, SnapshotError> {
        check(self.usize(what)? == len, what)?;
        let level_count = self.count(8, what)?;
        check(level_count <= u32::BITS as usize, what)?;
        let levels = (0..level_count)
            .map(|_| self.ints::<u64>(what))
            .collect::<Result<Vec<_>, _>>()?;
        WaveletMatrix::from_level_words(len, levels).map_or_else(|| malformed(what), Ok)
    }
}

fn encode<W: Write>(engine: &Engine, info: &SnapshotInfo, out: &mut Encoder<W>) -> io::Result<()> {
    out.string(&info.data_version)?;
    out.strings(info.notes.iter().map(String::as_str))?;

    let records = &engine.records;
    let n = records.len();
    out.ints(n, records.score.iter().copied())?;
    out.ints(n, records.profile.iter().copied())?;
    out.ints(n, records.combo.iter().copied())?;
    out.ints(n, records.id_ends.iter().map(|&end| end as u64))?;
    out.string(&records.ids)?;
    out.ints(n, records.played_at.iter().copied())?;

    out.number(engine.profiles.len())?;
    for profile in engine.profiles.iter() {
        out.string(&profile.id)?;
        out.string(&profile.user_name)?;
        out.string(&profile.avatar_url)?;
        out.strings(profile.achievements.iter().map(String::as_str))?;
    }

    let facets = &engine.facets;
    out.strings(facets.modes.iter().map(String::as_str))?;
    out.strings(facets.regions.iter().map(String::as_str))?;
    let combos = facets.combos.len();
    out.ints(combos, facets.combos.iter().map(|&(mode, _)| mode))?;
    out.ints(combos, facets.combos.iter().map(|&(_, region)| region))?;
    out.ints(combos, facets.combo_region_major.iter().copied())?;
    let runs = |starts: &[usize]| starts.iter().map(|&s| s as u64).collect::<Vec<u64>>();
    out.ints(facets.combos_of_mode.len(), runs(&facets.combos_of_mode))?;
    out.ints(
        facets.combos_of_region.len(),
        runs(&facets.combos_of_region),
    )?;

    let names = &engine.names;
    out.ints(
        names.rank_of_profile.len(),
        names.rank_of_profile.iter().copied(),
    )?;
    out.strings(names.lower_of_rank.iter().map(AsRef::as_ref))?;

    let orders = &engine.score_orders;
    for grouping in SCORE_GROUPINGS {
        out.grouped(orders.get(grouping))?;
    }
    for level in &engine.levels {
        out.grouped(&level.by_player)?;
        out.ints(level.rank.len(), level.rank.iter().copied())?;
        out.ints(
            level.best_of_profile.len(),
            level.best_of_profile.iter().copied(),
        )?;
        out.wavelet(&level.score_positions)?;
    }
    let cross = &engine.cross_sorts;
    for matrix in [
        &cross.mode_sort_of_all,
        &cross.mode_sort_of_region,
        &cross.region_sort_of_all,
        &cross.region_sort_of_mode,
    ] {
        out.wavelet(matrix)?;
    }
    Ok(())
}

/// The score-side groupings in the order the payload holds them.
const SCORE_GROUPINGS: [Grouping; 5] = [
    Grouping::All,
    Grouping::Mode,
    Grouping::Region,
    Grouping::ModeRegion,
    Grouping::RegionMode,
];

fn decode<R: Read>(input: &mut Decoder<R>) -> Result<(Engine, SnapshotInfo), SnapshotError> {
    let info = SnapshotInfo {
        data_version: input.string("the data version")?,
        notes: input.strings("the notes")?,
    };

    let what = "the record columns";
    let score = input.ints::<i64>(what)?;
    let n = score.len();
    check(n <= MAX_RECORDS, what)?;
    let profile = input.ints::<u32>(what)?;
    let combo = input.ints::<u32>(what)?;
    let id_ends = input.usizes(what)?;
    let ids = input.string(what)?;
    let played_at = input.ints::<u64>(what)?;
    check(
        profile.len() == n && combo.len() == n && id_ends.len() == n && played_at.len() == n,
        what,
    )?;
    check(
        played_at
            .iter()
            .all(|&millis| millis == NO_TIME || PlayedAt::from_unix_millis(millis).is_some()),
        "the record times",
    )?;
    let ends_fit = id_ends
        .windows(2)
        .all(|pair| matches!(pair, [a, b] if a <= b))
        && id_ends.last().is_none_or(|&last| last == ids.len())
        && (n > 0 || ids.is_empty())
        && id_ends.iter().all(|&end| ids.is_char_boundary(end));
    check(ends_fit, "the record ids")?;
    let records = Records {
        score,
        profile,
        combo,
        id_ends,
        ids,
        played_at,
    };

    // Each profile is at least four 8-byte lengths.
    let what = "the profiles";
    let profile_count = input.count(32, what)?;
    let mut profiles = Vec::with_capacity(profile_count);
    for _ in 0..profile_count {
        profiles.push(Profile {
            id: input.string(what)?,
            user_name: input.string(what)?,
            avatar_url: input.string(what)?,
            achievements: input.strings(what)?,
        });
    }
    check(
        records
            .profile
            .iter()
            .all(|&p| (p as usize) < profiles.len()),
        "a record's profile",
    )?;

    let what = "the facets";
    let modes = input.strings(what)?;
    let regions = input.strings(what)?;
    let combo_modes = input.ints::<u32>(what)?;
    let combo_regions = input.ints::<u32>(what)?;
    let combo_region_major = input.ints::<u32>(what)?;
    let combos_of_mode = input.usizes(what)?;
    let combos_of_region = input.usizes(what)?;
    let combo_count = combo_modes.len();
    // An engine serving nothing may hold no starts at all (`Facets::default`).
    let runs_fit = |starts: &[usize], groups: usize| {
        (starts.is_empty() && groups == 0 && combo_count == 0)
            || starts.len() == groups + 1
                && starts.first() == Some(&0)
                && starts
                    .windows(2)
                    .all(|pair| matches!(pair, [a, b] if a <= b))
                && starts.last() == Some(&combo_count)
    };
    check(
        combo_regions.len() == combo_count
            && combo_region_major.len() == combo_count
            && combo_modes.iter().all(|&m| (m as usize) < modes.len())
            && combo_regions.iter().all(|&r| (r as usize) < regions.len())
            && combo_region_major
                .iter()
                .all(|&c| (c as usize) < combo_count)
            && runs_fit(&combos_of_mode, modes.len())
            && runs_fit(&combos_of_region, regions.len()),
        what,
    )?;
    check(
        records.combo.iter().all(|&c| (c as usize) < combo_count),
        "a record's combination",
    )?;
    let facets = Facets {
        modes,
        regions,
        combos: combo_modes.into_iter().zip(combo_regions).collect(),
        combo_region_major,
        combos_of_mode,
        combos_of_region,
    };

    let what = "the names";
    let rank_of_profile = input.ints::<u32>(what)?;
    let lower_of_rank: Vec<Box<str>> = input
        .strings(what)?
        .into_iter()
        .map(String::into_boxed_str)
        .collect();
    check(
        rank_of_profile.len() == profiles.len()
            && rank_of_profile
                .iter()
                .all(|&rank| (rank as usize) < lower_of_rank.len()),
        what,
    )?;

    let mut engine = Engine {
        records,
        profiles: std::sync::Arc::new(profiles),
        facets,
        names: std::sync::Arc::new(Names {
            rank_of_profile,
            lower_of_rank,
        }),
        ..Engine::default()
    };

    let what = "a score grouping";
    let mut orders = Vec::with_capacity(SCORE_GROUPINGS.len());
    for grouping in SCORE_GROUPINGS {
        orders.push(input.grouped(group_count(&engine, grouping), n, what)?);
    }
    let mut orders = orders.into_iter();
    let mut next_order = || orders.next().map_or_else(|| malformed(what), Ok);
    engine.score_orders = ScoreOrders {
        all: next_order()?,
        by_mode: next_order()?,
        by_region: next_order()?,
        by_mode_region: next_order()?,
        by_region_mode: next_order()?,
    };

    let what = "a level";
    let mut levels: [LevelIndex; 4] = Default::default();
    for (level, grouping) in levels.iter_mut().zip(LEVEL_GROUPINGS) {
        let by_player = input.grouped(group_count(&engine, grouping), n, what)?;
        let rank = input.ints::<u32>(what)?;
        let best_of_profile = input.ints::<u32>(what)?;
        check(
            rank.len() == n && best_of_profile.iter().all(|&r| (r as usize) < n),
            what,
        )?;
        *level = LevelIndex {
            by_player,
            rank,
            best_of_profile,
            score_positions: input.wavelet(n, what)?,
        };
    }
    engine.levels = levels;

    let what = "a cross-sort matrix";
    engine.cross_sorts = CrossSortPositions {
        mode_sort_of_all: input.wavelet(n, what)?,
        mode_sort_of_region: input.wavelet(n, what)?,
        region_sort_of_all: input.wavelet(n, what)?,
        region_sort_of_mode: input.wavelet(n, what)?,
    };
    engine.meta = meta(&engine);
    Ok((engine, info))
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use leaderboard_model::{LeaderboardQuery, ScoreRecord};

    use super::*;

    fn engine() -> Engine {
        let profile = |id: &str, name: &str| Profile {
            id: id.to_string(),
            user_name: name.to_string(),
            avatar_url: format!("images/{id}.svg"),
            achievements: vec!["Space Race Winner".to_string()],
        };
        let score = |id: &str, profile: &str, points: i64, mode: &str, region: &str| ScoreRecord {
            id: id.to_string(),
            profile_id: profile.to_string(),
            score: points,
            game_mode: mode.to_string(),
            game_region: region.to_string(),
            // Some timed, some not: both survive the round trip.
            played_at: PlayedAt::from_unix_millis(points as u64 * 86_400_000)
                .filter(|_| points > 100),
        };
        Engine::build(
            vec![
                score("a", "p1", 900, "Solo", "Milky Way"),
                score("b", "p2", 900, "Duo", "Andromeda"),
                score("c", "p3", 10, "Solo", "Andromeda"),
                score("d", "p1", 500, "Trio", "Zoë's"),
            ],
            vec![
                profile("p1", "Nova"),
                profile("p2", "zed"),
                profile("p3", "Élan"),
            ],
        )
    }

    fn info() -> SnapshotInfo {
        SnapshotInfo {
            data_version: "v1".to_string(),
            notes: vec!["scores.json: record 3 skipped".to_string()],
        }
    }

    fn written(engine: &Engine) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let len = engine.write_snapshot(&mut out, &info()).unwrap();
        let bytes = out.into_inner();
        assert_eq!(len, bytes.len() as u64);
        bytes
    }

    fn read(bytes: &[u8]) -> Result<(Engine, SnapshotInfo), SnapshotError> {
        Engine::read_snapshot(bytes, bytes.len() as u64)
    }

    #[test]
    fn a_snapshot_reads_back_to_the_same_answers_and_info() {
        let built = engine();
        let bytes = written(&built);
        let (read_back, info_back) = read(&bytes).unwrap();
        assert_eq!(info_back, info());
        assert_eq!(read_back.meta(), built.meta());
        for q in ["", "n", "z"] {
            let query = LeaderboardQuery {
                q: (!q.is_empty()).then(|| q.to_string()),
                ..LeaderboardQuery::default()
            };
            assert_eq!(read_back.query(&query), built.query(&query));
        }
        // Written again, byte for byte the same: the format holds nothing incidental.
        assert_eq!(written(&read_back), bytes);
    }

    #[test]
    fn an_empty_engine_round_trips() {
        let bytes = written(&Engine::default());
        let (engine, _) = read(&bytes).unwrap();
        assert!(engine.is_empty());
    }

    #[test]
    fn every_truncation_is_refused_as_a_wrong_length_or_not_a_snapshot() {
        let bytes = written(&engine());
        for cut in 0..bytes.len() {
            match read(&bytes[..cut]) {
                Err(SnapshotError::NotASnapshot) => assert!(cut < MAGIC.len()),
                Err(SnapshotError::WrongLength { header, actual }) => {
                    assert!(actual < header, "{actual} < {header}");
                }
                other => panic!("a file cut at {cut} gave {other:?}"),
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            read(&longer),
            Err(SnapshotError::WrongLength { .. })
        ));
    }

    #[test]
    fn a_flipped_bit_anywhere_is_refused() {
        let bytes = written(&engine());
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0x10;
            let result = read(&changed);
            assert!(result.is_err(), "a flipped bit at {at} was accepted");
        }
    }

    #[test]
    fn other_files_and_formats_are_refused_with_what_they_are() {
        assert!(matches!(
            read(b"[{\"id\": \"1\"}]"),
            Err(SnapshotError::NotASnapshot)
        ));
        let mut bytes = written(&engine());
        bytes[8] = 99;
        let error = read(&bytes).unwrap_err();
        assert!(matches!(
            error,
            SnapshotError::UnsupportedFormat { found: 99 }
        ));
        assert!(error.to_string().contains("format 99"), "{error}");
    }
}

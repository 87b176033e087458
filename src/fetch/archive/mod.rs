//! A release's `.txz` (or a template's `.tar.gz`) unpacked into a root as
//! root would: permissions, owners, modification times, hard links and
//! symlinks kept. FreeBSD file flags (schg, ...) cannot be set on Linux:
//! they are counted.
//!
//! Every entry is judged before it is written: an archive of a shape that
//! could leave the root or could not be unpacked whole (see `shape`), or
//! that unpacks to too much (see `caps`), is refused, and every write goes
//! through `files::root`, so no write can leave the root whatever the
//! archive created.
//!
//! Into an empty root (a new jail's), one decompression pass: the archives
//! are unpacked into a staging directory inside the root (the same
//! filesystem, even when the root is a dataset's mountpoint), checked as
//! they go, and only when every entry of every archive was accepted is the
//! staging directory's content renamed into place; a refused archive
//! leaves the root as it was (`unpack_staged`). Into a root that already
//! holds files, two passes over the same opened file: `check` reads every
//! entry and writes nothing, then `unpack` judges each again as it writes.

pub mod caps;
mod meter;
pub mod shape;
mod write;

pub use caps::{Caps, CapsError};
pub use shape::ShapeError;

use crate::files::root::Attributes;
use meter::{Meter, Metered};
use shape::{Planned, Shape};
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Why an archive could not be read, or was refused, or not unpacked.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The file refused or not opened (`open_regular`'s error names it).
    #[error(transparent)]
    Open(io::Error),
    /// Reading the archive, or preparing the root at `path`, failed.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// Neither xz nor gzip.
    #[error("{}: neither an xz nor a gzip archive", path.display())]
    NotCompressed { path: PathBuf },
    /// The archive unpacks to more than its caps.
    #[error("{}: {source}", path.display())]
    Caps { path: PathBuf, source: CapsError },
    /// An entry of a shape that is refused.
    #[error("{}: {source}", path.display())]
    Shape { path: PathBuf, source: ShapeError },
    /// Writing an entry into the root failed (the error names the path).
    #[error(transparent)]
    Write(io::Error),
    /// The root to unpack into in one pass holds files.
    #[error("{}: not empty", path.display())]
    NotEmpty { path: PathBuf },
}

impl ArchiveError {
    /// An I/O error at `path`.
    fn io(path: &Path) -> impl Fn(io::Error) -> ArchiveError + '_ {
        move |source| ArchiveError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub entries: u64,
    pub bytes: u64,
    /// Entries whose FreeBSD file flags were not set (not on this system).
    pub flags_skipped: u64,
}

/// An archive file, opened once: hashed, checked and unpacked from the
/// same descriptor (never a path looked up again).
pub struct Archive {
    file: File,
    path: PathBuf,
    size: u64,
}

impl Archive {
    /// Opens the regular file at `path`, never through a symlink.
    pub fn open(path: &Path) -> Result<Archive, ArchiveError> {
        use crate::fetch::http::{Access, open_regular};
        let file = open_regular(path, Access::Read).map_err(ArchiveError::Open)?;
        Archive::from_file(file, path)
    }

    /// An archive already opened (a download just made).
    pub fn from_file(file: File, path: &Path) -> Result<Archive, ArchiveError> {
        let size = file.metadata().map_err(ArchiveError::io(path))?.len();
        Ok(Archive {
            file,
            path: path.to_path_buf(),
            size,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sha256 of the file (lower-case hex).
    pub fn sha256(&self) -> Result<String, ArchiveError> {
        crate::fetch::http::sha256_of(&mut At::new(&self.file)).map_err(self.io())
    }

    /// Checks every entry without writing anything; returns how many.
    pub fn check(&self, caps: &Caps) -> Result<u64, ArchiveError> {
        let tally = self.walk(caps, |_, _| Ok(0))?;
        Ok(tally.entries)
    }

    /// Unpacks the archive into `root` (created when missing); `progress`
    /// gets the bytes written so far.
    pub fn unpack(
        &self,
        root: &Path,
        caps: &Caps,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Extracted, ArchiveError> {
        let mut writer = write::Writer::open(root).map_err(ArchiveError::Write)?;
        let mut done = Extracted::default();
        let tally = self.walk(caps, |item, data| {
            if item.file_flags {
                done.flags_skipped += 1;
            }
            let written = writer
                .write(&item.planned, item.attributes, data)
                .map_err(ArchiveError::Write)?;
            done.bytes += written;
            progress(done.bytes);
            Ok(written)
        })?;
        writer.finish().map_err(ArchiveError::Write)?;
        done.entries = tally.entries;
        Ok(done)
    }

    /// Reads every entry: counted against `caps`, judged by `Shape`, then
    /// given to `visit` (which returns the bytes it wrote).
    fn walk(
        &self,
        caps: &Caps,
        mut visit: impl FnMut(&Item, &mut dyn Read) -> Result<u64, ArchiveError>,
    ) -> Result<caps::Tally, ArchiveError> {
        // Data within the caps, plus the headers of as many entries.
        let stream = caps
            .max_bytes
            .saturating_add(caps.max_entries.saturating_mul(4096));
        let meter = Meter::new(stream);
        let mut tar = tar::Archive::new(Metered::new(self.decoder()?, meter.clone()));
        let mut entries = tar.entries().map_err(self.io())?;
        let mut tally = caps::Tally::new(*caps, self.size);
        let mut shape = Shape::default();
        loop {
            meter.headers();
            let Some(entry) = entries.next() else { break };
            let mut entry = entry.map_err(self.io())?;
            meter.data();
            tally.add(entry.size()).map_err(|e| self.caps(e))?;
            let link = entry.link_name_bytes().map(|l| l.into_owned());
            let planned = shape
                .admit(
                    &entry.path_bytes(),
                    entry.header().entry_type(),
                    link.as_deref(),
                )
                .map_err(|source| ArchiveError::Shape {
                    path: self.path.clone(),
                    source,
                })?;
            let item = Item {
                planned,
                attributes: write::attributes(entry.header()),
                file_flags: has_file_flags(&mut entry),
            };
            let written = visit(&item, &mut entry)?;
            tally.wrote(written).map_err(|e| self.caps(e))?;
            // What the visitor did not read (a check, a link's data).
            io::copy(&mut entry, &mut io::sink()).map_err(self.io())?;
        }
        Ok(tally)
    }

    /// The archive, decompressed by what its first bytes say (xz or gzip).
    fn decoder(&self) -> Result<Box<dyn Read + '_>, ArchiveError> {
        let mut magic = [0u8; 6];
        let n = self.file.read_at(&mut magic, 0).map_err(self.io())?;
        let file = io::BufReader::with_capacity(1 << 16, At::new(&self.file));
        Ok(match &magic[..n] {
            [0xfd, b'7', b'z', b'X', b'Z', 0] => Box::new(xz2::read::XzDecoder::new(file)),
            [0x1f, 0x8b, ..] => Box::new(flate2::read::GzDecoder::new(file)),
            _ => {
                return Err(ArchiveError::NotCompressed {
                    path: self.path.clone(),
                });
            }
        })
    }

    /// An I/O error reading this archive.
    fn io(&self) -> impl Fn(io::Error) -> ArchiveError + '_ {
        ArchiveError::io(&self.path)
    }

    /// This archive refused by its caps.
    fn caps(&self, source: CapsError) -> ArchiveError {
        ArchiveError::Caps {
            path: self.path.clone(),
            source,
        }
    }
}

/// The name of a staging directory (a killed run may leave one).
const STAGING: &str = ".jailwright-unpack-";

/// Whether `root` is missing or an empty directory (but for what a killed
/// run left staged): what `unpack_staged` may fill.
pub fn is_empty_root(root: &Path) -> bool {
    match std::fs::read_dir(root) {
        Ok(entries) => entries
            .flatten()
            .all(|e| e.file_name().to_string_lossy().starts_with(STAGING)),
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    }
}

/// Unpacks `archives`, in order, into the empty (or missing) `root` in one
/// decompression pass each: into a staging directory inside the root, then
/// renamed into place once every entry of every archive was accepted. On
/// any refusal or failure the root is left as it was: empty. `progress`
/// gets each archive's path and its bytes so far.
pub fn unpack_staged(
    archives: &[Archive],
    root: &Path,
    caps: &Caps,
    progress: &mut dyn FnMut(&Path, u64),
) -> Result<Extracted, ArchiveError> {
    use nix::fcntl::OFlag;
    // (the root as the admin gave it, in every message)
    let given = root;
    let failed = ArchiveError::io(given);
    std::fs::create_dir_all(root).map_err(&failed)?;
    // The admin's path, followed once (a symlink to the root is theirs);
    // everything after goes through this descriptor.
    let root_fd = nix::fcntl::open(
        root,
        OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    )
    .map_err(|e| failed(e.into()))?;
    // (the admin's symlink resolved: the staging directory goes where the
    // descriptor is)
    let root = std::fs::canonicalize(root).map_err(&failed)?;
    remove_stale_staging(&root).map_err(&failed)?;
    if !is_empty_root(&root) {
        return Err(ArchiveError::NotEmpty {
            path: given.to_path_buf(),
        });
    }
    // Removed (without following a symlink the archive made) when dropped.
    let staging = tempfile::Builder::new()
        .prefix(STAGING)
        .tempdir_in(&root)
        .map_err(&failed)?;
    // The root's own mode and owner, unless the archive gives them (`./`).
    let before = nix::sys::stat::fstat(&root_fd).map_err(|e| failed(e.into()))?;
    // (mode_t is 16 bits on FreeBSD)
    #[allow(clippy::useless_conversion)]
    let mode = u32::from(before.st_mode) & 0o7777;
    std::fs::set_permissions(
        staging.path(),
        std::os::unix::fs::PermissionsExt::from_mode(mode),
    )
    .map_err(&failed)?;
    if nix::unistd::geteuid().is_root() {
        std::os::unix::fs::chown(staging.path(), Some(before.st_uid), Some(before.st_gid))
            .map_err(&failed)?;
    }
    let mut done = Extracted::default();
    for archive in archives {
        let got = archive.unpack(staging.path(), caps, &mut |bytes| {
            progress(archive.path(), bytes)
        })?;
        done.entries += got.entries;
        done.bytes += got.bytes;
        done.flags_skipped += got.flags_skipped;
    }
    place(staging, &root_fd).map_err(&failed)?;
    Ok(done)
}

/// Removes what a killed run left staged in the root.
fn remove_stale_staging(root: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(STAGING) && entry.file_type()?.is_dir() {
            // (does not follow symlinks)
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Renames every entry of `staging` into the root (never over anything
/// there), removes the staging directory, then gives the root the staging
/// directory's mode, owner and time: the archive's `./` entry, or the
/// root's own. When anything fails the entries already moved go back, and
/// the staging directory is removed with them.
fn place(staging: tempfile::TempDir, root: &std::os::fd::OwnedFd) -> io::Result<()> {
    use nix::fcntl::OFlag;
    use nix::sys::stat::Mode;
    let from = nix::fcntl::open(
        staging.path(),
        OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    // Before the renames change its time.
    let stat = nix::sys::stat::fstat(&from)?;
    let names: Vec<std::ffi::OsString> = std::fs::read_dir(staging.path())?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    let mut moved = Vec::new();
    let result = (|| -> io::Result<()> {
        for name in &names {
            rename_new(&from, name, root)?;
            moved.push(name);
        }
        Ok(())
    })();
    if let Err(e) = result {
        for name in moved {
            let _ = rename_new(root, name, &from);
        }
        return Err(e);
    }
    // The staging directory, now empty, removed through the root's
    // descriptor (its name is ours: the archive's entries are in place).
    let name = staging
        .path()
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    let _kept = staging.keep();
    nix::unistd::unlinkat(
        root,
        name.as_os_str(),
        nix::unistd::UnlinkatFlags::RemoveDir,
    )?;
    set_root_attributes(root, &stat)
}

/// Gives the root the staged mode, owner and time, as far as they differ
/// and this user may: the owner only as root, the time only as root or
/// the root's owner (as tar does).
fn set_root_attributes(
    root: &std::os::fd::OwnedFd,
    stat: &nix::sys::stat::FileStat,
) -> io::Result<()> {
    use nix::sys::stat::{FchmodatFlags, Mode, UtimensatFlags};
    let current = nix::sys::stat::fstat(root)?;
    let euid = nix::unistd::geteuid();
    if euid.is_root() && (current.st_uid, current.st_gid) != (stat.st_uid, stat.st_gid) {
        nix::unistd::fchown(
            root,
            Some(nix::unistd::Uid::from_raw(stat.st_uid)),
            Some(nix::unistd::Gid::from_raw(stat.st_gid)),
        )?;
    }
    if current.st_mode & 0o7777 != stat.st_mode & 0o7777 {
        nix::sys::stat::fchmodat(
            root,
            ".",
            Mode::from_bits_truncate(stat.st_mode & 0o7777),
            FchmodatFlags::FollowSymlink,
        )?;
    }
    if euid.is_root() || euid.as_raw() == current.st_uid {
        let mtime = nix::sys::time::TimeSpec::new(stat.st_mtime, stat.st_mtime_nsec);
        nix::sys::stat::utimensat(root, ".", &mtime, &mtime, UtimensatFlags::FollowSymlink)?;
    }
    Ok(())
}

/// Renames `name` from one directory to another where nothing has that
/// name (on Linux the kernel refuses to replace; elsewhere it was looked
/// up just before).
fn rename_new(
    from: &std::os::fd::OwnedFd,
    name: &std::ffi::OsStr,
    to: &std::os::fd::OwnedFd,
) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        nix::fcntl::renameat2(
            from,
            name,
            to,
            name,
            nix::fcntl::RenameFlags::RENAME_NOREPLACE,
        )?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        use nix::fcntl::AtFlags;
        if nix::sys::stat::fstatat(to, name, AtFlags::AT_SYMLINK_NOFOLLOW).is_ok() {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        nix::fcntl::renameat(from, name, to, name)?;
    }
    Ok(())
}

/// An entry as the passes see it.
struct Item {
    planned: Planned,
    attributes: Attributes,
    file_flags: bool,
}

/// Reads a file from the start by position (the descriptor's own offset
/// is never used, so the passes cannot disturb each other).
struct At<'f> {
    file: &'f File,
    pos: u64,
}

impl<'f> At<'f> {
    fn new(file: &'f File) -> Self {
        At { file, pos: 0 }
    }
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// FreeBSD's tar records file flags in a pax `SCHILY.fflags` record.
fn has_file_flags<R: Read>(entry: &mut tar::Entry<R>) -> bool {
    let Ok(Some(extensions)) = entry.pax_extensions() else {
        return false;
    };
    extensions
        .flatten()
        .any(|e| e.key().is_ok_and(|k| k == "SCHILY.fflags"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_600_000_000);
        h.set_size(size);
        h
    }

    fn archive_of(dir: &Path, build: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Archive {
        let mut builder = tar::Builder::new(Vec::new());
        build(&mut builder);
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        let path = dir.join("a.tar.gz");
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        Archive::open(&path).unwrap()
    }

    #[test]
    fn a_long_name_of_megabytes_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let archive = archive_of(dir.path(), |b| {
            let name = "d/".repeat(1 << 20) + "f";
            let mut h = header(tar::EntryType::Regular, 0o644, 1);
            b.append_data(&mut h, name, &b"x"[..]).unwrap();
        });
        let e = archive.check(&Caps::TEMPLATE).unwrap_err().to_string();
        assert!(e.contains("headers (long names, pax records)"), "{e}");
    }

    #[test]
    fn read_only_directories_are_filled_and_get_their_mode_and_time_last() {
        let dir = tempfile::tempdir().unwrap();
        let archive = archive_of(dir.path(), |b| {
            let mut h = header(tar::EntryType::Directory, 0o755, 0);
            b.append_data(&mut h, "./", &[][..]).unwrap();
            let mut h = header(tar::EntryType::Directory, 0o555, 0);
            b.append_data(&mut h, "./ro/", &[][..]).unwrap();
            let mut h = header(tar::EntryType::Regular, 0o444, 2);
            b.append_data(&mut h, "./ro/f", &b"hi"[..]).unwrap();
        });
        assert_eq!(archive.check(&Caps::TEMPLATE).ok(), Some(3));
        let root = dir.path().join("root");
        let done = archive.unpack(&root, &Caps::TEMPLATE, &mut |_| {}).unwrap();
        assert_eq!((done.entries, done.bytes), (3, 2));
        assert_eq!(std::fs::read(root.join("ro/f")).unwrap(), b"hi");
        let ro = std::fs::metadata(root.join("ro")).unwrap();
        assert_eq!(ro.permissions().mode() & 0o7777, 0o555);
        assert_eq!(ro.mtime(), 1_600_000_000);
        // Unpacking again over it works (files and links replaced).
        archive.unpack(&root, &Caps::TEMPLATE, &mut |_| {}).unwrap();
    }

    #[test]
    fn the_release_flag_default_is_the_release_cap() {
        assert_eq!(caps::parse_size("4G"), Ok(Caps::RELEASE.max_bytes));
    }
}

//! `cargo bench --bench bootstrap`: unpacking a release-like .txz with
//! jailwright's extractor against `tar -xJf` on the same archive, in one
//! run (issue 18's goal 5: at least 0.9x tar's speed). Into an empty root
//! (a new jail's): one pass, checked as it goes into a staging directory,
//! then placed; into a root with files: a checking pass, then the
//! unpacking pass. Every entry written through files::root. Prints
//! figures; asserts none.

use std::process::Command;
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("base.txz");
    // 4,000 files of 24 KiB (some repetitive, some not), in 40 directories:
    // about 94 MiB unpacked.
    let mut builder = tar::Builder::new(xz2::write::XzEncoder::new(
        std::fs::File::create(&archive).unwrap(),
        1,
    ));
    let mut seed = 0x2545f4914f6cdd1du64;
    for i in 0..4000 {
        let mut body = vec![0u8; 24 * 1024];
        for (j, b) in body.iter_mut().enumerate() {
            if j % 3 == 0 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = seed as u8;
            } else {
                *b = b'a' + (j % 26) as u8;
            }
        }
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        h.set_size(body.len() as u64);
        builder
            .append_data(&mut h, format!("usr/share/d{}/f{i}", i % 40), &body[..])
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap();
    let compressed = std::fs::metadata(&archive).unwrap().len();
    let unpacked_bytes = 4000u64 * 24 * 1024;

    use jailwright::fetch::archive::{Archive, Caps, unpack_staged};
    let opened = Archive::open(&archive).unwrap();
    let caps = Caps::RELEASE;
    let mut ours = Vec::new();
    let mut two_passes = Vec::new();
    let mut theirs = Vec::new();
    for round in 0..3 {
        let root = dir.path().join(format!("ours{round}"));
        let start = Instant::now();
        unpack_staged(std::slice::from_ref(&opened), &root, &caps, &mut |_, _| {}).unwrap();
        ours.push(start.elapsed().as_secs_f64());

        let root = dir.path().join(format!("two{round}"));
        let start = Instant::now();
        opened.check(&caps).unwrap();
        opened.unpack(&root, &caps, &mut |_| {}).unwrap();
        two_passes.push(start.elapsed().as_secs_f64());

        let root = dir.path().join(format!("tar{round}"));
        std::fs::create_dir_all(&root).unwrap();
        let start = Instant::now();
        let status = Command::new("tar")
            .arg("-xJf")
            .arg(&archive)
            .arg("-C")
            .arg(&root)
            .status()
            .unwrap();
        assert!(status.success());
        theirs.push(start.elapsed().as_secs_f64());
    }
    let best = |v: &[f64]| v.iter().cloned().fold(f64::MAX, f64::min);
    let mib = unpacked_bytes as f64 / (1 << 20) as f64;
    println!(
        "archive: {:.1} MiB xz, {mib:.0} MiB unpacked, 4000 files",
        compressed as f64 / (1 << 20) as f64
    );
    println!(
        "goal 5  jailwright into an empty root (one pass): best {:.2} s = {:.0} MiB/s   tar -xJf: best {:.2} s = {:.0} MiB/s   speed {:.2}x tar's (goal >= 0.9x)",
        best(&ours),
        mib / best(&ours),
        best(&theirs),
        mib / best(&theirs),
        best(&theirs) / best(&ours)
    );
    println!(
        "        into a root with files (check, then unpack): best {:.2} s = {:.0} MiB/s ({:.2}x tar's speed)",
        best(&two_passes),
        mib / best(&two_passes),
        best(&theirs) / best(&two_passes)
    );
}

//! The decompressed stream, metered. tar reads an entry's long name, long
//! link name and pax records into memory before it hands the entry out; a
//! hostile archive can declare a long name of gigabytes. Between two
//! entries (the entries' data having been read by the caller) the stream
//! may therefore only advance by a bounded window: a few headers and their
//! records. The whole stream is bounded as well.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// The most bytes the headers of one entry (its long names, its pax
/// records, the padding of the entry before) may take.
pub const HEADERS_WINDOW: u64 = 1 << 20;

/// What has been read, and how far reading may go.
#[derive(Debug, Default)]
pub struct Meter {
    read: Cell<u64>,
    /// Reading past this is an error (`None`: only `total` applies).
    window_end: Cell<Option<u64>>,
    total: Cell<u64>,
}

impl Meter {
    pub fn new(total: u64) -> Rc<Meter> {
        Rc::new(Meter {
            total: Cell::new(total),
            ..Meter::default()
        })
    }

    /// From now on, at most `HEADERS_WINDOW` more bytes.
    pub fn headers(&self) {
        self.window_end
            .set(Some(self.read.get().saturating_add(HEADERS_WINDOW)));
    }

    /// From now on, an entry's data: bounded by the caller's tally.
    pub fn data(&self) {
        self.window_end.set(None);
    }

    fn count(&self, n: usize) -> io::Result<()> {
        let read = self.read.get().saturating_add(n as u64);
        self.read.set(read);
        if self.window_end.get().is_some_and(|end| read > end) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "refused: an entry's headers (long names, pax records) take more than {} KiB",
                    HEADERS_WINDOW >> 10
                ),
            ));
        }
        if read > self.total.get() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "refused: the archive decompresses to more than {}",
                    super::caps::human(self.total.get())
                ),
            ));
        }
        Ok(())
    }
}

/// A reader whose bytes a `Meter` counts.
pub struct Metered<R> {
    inner: R,
    meter: Rc<Meter>,
}

impl<R> Metered<R> {
    pub fn new(inner: R, meter: Rc<Meter>) -> Self {
        Metered { inner, meter }
    }
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.meter.count(n)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_bounded_and_data_is_not() {
        let meter = Meter::new(u64::MAX);
        let mut r = Metered::new(io::repeat(0).take(4 * HEADERS_WINDOW), meter.clone());
        meter.headers();
        let mut buf = vec![0; HEADERS_WINDOW as usize];
        r.read_exact(&mut buf).unwrap();
        assert!(r.read_exact(&mut buf[..1]).is_err());
        meter.data();
        r.read_exact(&mut buf).unwrap();
    }

    #[test]
    fn the_whole_stream_is_bounded() {
        let meter = Meter::new(1000);
        let mut r = Metered::new(io::repeat(0).take(2000), meter);
        assert!(io::copy(&mut r, &mut io::sink()).is_err());
    }
}

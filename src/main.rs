// A faster allocator than the system's for the many small strings of a
// parse (a fifth of a corpus lint was malloc and free).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(jailwright::cli::run());
}

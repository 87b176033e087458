fn main() {
    std::process::exit(jailwright::cli::run());
}

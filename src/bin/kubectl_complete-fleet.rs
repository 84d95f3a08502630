fn main() {
    std::process::exit(kubectl_fleet::cli::complete_entry());
}

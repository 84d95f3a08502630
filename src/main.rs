fn main() {
    std::process::exit(kubectl_fleet::cli::main_entry());
}

//! The one integration-test binary: everything here runs against the simulated fleet on
//! 127.0.0.1, started and stopped by the tests themselves.

mod cli;
mod sim;
mod util;

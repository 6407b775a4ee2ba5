//! What can go wrong in a command, and the exit code each kind maps to: 2 when the command line
//! itself could not be understood (as clap does for its own errors), 1 when the register refused.

use crate::lang::Msg;

#[derive(Debug)]
pub enum CliError {
    /// A value on the command line is malformed or not one of the accepted codes (exit 2).
    Usage(Msg),
    /// The core refused or failed (validation, not found, database...) (exit 1).
    Core(gocua_core::Error),
    /// Anything else that stops the command: a missing file, an unknown hamlet (exit 1).
    Failed(Msg),
}

impl CliError {
    pub fn usage(vi: impl Into<String>, en: impl Into<String>) -> Self {
        CliError::Usage(Msg::new(vi, en))
    }

    pub fn failed(vi: impl Into<String>, en: impl Into<String>) -> Self {
        CliError::Failed(Msg::new(vi, en))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Core(_) | CliError::Failed(_) => 1,
        }
    }
}

impl From<gocua_core::Error> for CliError {
    fn from(e: gocua_core::Error) -> Self {
        CliError::Core(e)
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

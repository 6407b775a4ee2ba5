//! clap's own errors (an unknown option, a missing argument, a value not in the list) in the
//! volunteer's language: clap writes them in English only, and echoes what was typed, which may
//! be an ID number typed in the wrong place. Here each is one sentence in the chosen language,
//! with typed values passed through `output::shown` (long numbers masked).

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::lang::Lang;
use crate::output::shown;

/// The language asked for on the command line (`--lang en`, `--lang=en`) or in `GOCUA_LANG`,
/// read before clap has parsed anything (its errors need it).
pub fn lang_from_args(args: &[String]) -> Lang {
    let mut asked = std::env::var("GOCUA_LANG").ok();
    for (i, a) in args.iter().enumerate() {
        if let Some(v) = a.strip_prefix("--lang=") {
            asked = Some(v.to_owned());
        } else if a == "--lang" {
            asked = args.get(i + 1).cloned();
        }
    }
    match asked.as_deref().map(str::trim) {
        Some("en") | Some("EN") => Lang::En,
        _ => Lang::Vi,
    }
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(shown(s)),
        ContextValue::Strings(v) => Some(v.iter().map(|s| shown(s)).collect::<Vec<_>>().join(", ")),
        ContextValue::StyledStr(s) => Some(shown(&s.to_string())),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| shown(&s.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The sentence for a usage error, or `None` for help and version (printed as clap prints them).
pub fn sentence(e: &clap::Error, lang: Lang) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(e, ContextKind::ValidValue);
    let sub = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
    let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
    let suggestion = context(e, ContextKind::SuggestedSubcommand)
        .or_else(|| context(e, ContextKind::SuggestedArg));
    let vi = lang == Lang::Vi;
    let mut out = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::UnknownArgument if vi => format!("Tham số không được chấp nhận: {arg}."),
        ErrorKind::UnknownArgument => format!("This option is not accepted: {arg}."),
        ErrorKind::InvalidSubcommand if vi => format!("Không có lệnh '{sub}'."),
        ErrorKind::InvalidSubcommand => format!("There is no command '{sub}'."),
        ErrorKind::MissingRequiredArgument if vi => format!("Thiếu tham số bắt buộc: {arg}."),
        ErrorKind::MissingRequiredArgument => format!("A required argument is missing: {arg}."),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            if vi =>
        {
            "Thiếu lệnh.".to_owned()
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "A command is missing.".to_owned()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if vi => {
            format!("Giá trị '{value}' không hợp lệ cho {arg}.")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("The value '{value}' is not valid for {arg}.")
        }
        ErrorKind::ArgumentConflict if vi => {
            format!("{arg} không dùng cùng với {prior}.")
        }
        ErrorKind::ArgumentConflict => format!("{arg} cannot be used with {prior}."),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues
            if vi =>
        {
            format!("Số giá trị cho {arg} không đúng.")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("Wrong number of values for {arg}.")
        }
        _ if vi => "Lệnh viết chưa đúng.".to_owned(),
        _ => "The command is not written right.".to_owned(),
    };
    if let Some(valid) = valid {
        out.push_str(&if vi {
            format!(" Chấp nhận: {valid}.")
        } else {
            format!(" Accepted: {valid}.")
        });
    }
    if let Some(s) = suggestion {
        out.push_str(&if vi {
            format!(" Có phải ý là: {s}?")
        } else {
            format!(" Did you mean: {s}?")
        });
    }
    out.push_str(if vi {
        " Xem hướng dẫn: gocua --help"
    } else {
        " See: gocua --help"
    });
    Some(out)
}

//! `gocua`: the command-line field client. It drives `gocua-core` exactly as the phones do, so
//! that every rule (validation, consent, merging) can be tried from a terminal and scripted.
//!
//! Exit codes: 0 done; 1 the register or the hub refused or failed (validation, not found, a
//! sync that did not finish...); 2 the command line could not be understood (unknown option or
//! code, malformed date or number).

mod commands;
mod error;
mod labels;
mod lang;
mod output;
mod parse;
mod usage_error;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use gocua_core::model::{
    ChecklistItem, ChecklistStatus, ConsentMethod, Gender, Relation, ResidenceType,
    SmartphoneAccess, VisitOutcome,
};

use crate::commands::Ctx;
use crate::lang::Lang;
use crate::output::Out;
use crate::parse::{PURPOSE_CODES, codes};

#[derive(Parser)]
#[command(
    name = "gocua",
    version,
    about = "Sổ hộ gia đình của Tổ công nghệ số cộng đồng / the household register of a community digital technology team",
    long_about = "Sổ hộ gia đình của Tổ công nghệ số cộng đồng: hộ, thành viên, danh sách cài đặt tài khoản, \
                  đồng ý và lần thăm, làm việc không cần mạng.\n\
                  The household register of a community digital technology team: households, members, \
                  the account set-up checklist, consent and visits, offline.\n\n\
                  Ids may be shortened to any unique prefix of at least 4 characters.\n\
                  Exit codes: 0 done, 1 refused by the register or the hub (invalid data, not found, \
                  a sync that did not finish), 2 bad command line."
)]
struct Cli {
    /// Register file
    #[arg(
        long,
        global = true,
        env = "GOCUA_DB",
        help_heading = "Global options",
        default_value = "gocua.db",
        value_name = "PATH"
    )]
    db: PathBuf,

    /// Language of messages and labels (ngôn ngữ)
    #[arg(long, global = true, env = "GOCUA_LANG", help_heading = "Global options", value_enum, default_value_t = Lang::Vi)]
    lang: Lang,

    /// Machine-readable JSON output (show, list, search, conflicts, history and other reads)
    #[arg(long, global = true, help_heading = "Global options")]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the register on this device (tạo sổ); fails if it exists
    Init(InitArgs),
    /// The commune's hamlets (thôn, tổ dân phố)
    #[command(subcommand)]
    Hamlet(HamletCmd),
    /// Households (hộ gia đình)
    #[command(subcommand)]
    Household(HouseholdCmd),
    /// Members of a household (thành viên)
    #[command(subcommand)]
    Member(MemberCmd),
    /// The account set-up checklist (danh sách cài đặt tài khoản)
    #[command(subcommand)]
    Checklist(ChecklistCmd),
    /// Consent, per person (đồng ý xử lý dữ liệu cá nhân)
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// Visits to a household (lần thăm hộ)
    #[command(subcommand)]
    Visit(VisitCmd),
    /// Find members by name (diacritics optional), phone or ID number (tìm kiếm)
    Search {
        /// Name ("nguyen van an"), phone, ID number, or their last digits
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Fields of a household edited differently on two devices (xung đột)
    Conflicts {
        /// Household id, or its first 4+ characters
        household: String,
        /// Show ID numbers and phones in full
        #[arg(long)]
        full: bool,
    },
    /// Settle a conflict by choosing a value, or clearing the field (giải quyết xung đột)
    Resolve(ResolveArgs),
    /// Checklist progress counts for the commune or one hamlet (thống kê)
    Counts {
        /// Hamlet id or name
        #[arg(long)]
        hamlet: Option<String>,
    },
    /// Administrative units: provinces and communes (đơn vị hành chính)
    #[command(subcommand)]
    Units(UnitsCmd),
    /// Write a household's document to a file, for another device (xuất)
    Export {
        /// Household id, or its first 4+ characters
        household: String,
        /// File to write
        file: PathBuf,
    },
    /// Merge a household document from another device (nhập, hợp nhất)
    Import {
        /// File written by `gocua export`
        file: PathBuf,
    },
    /// Sync without coverage: sealed files anyone can carry to and from the hub (gói đồng bộ)
    #[command(subcommand)]
    Bundle(BundleCmd),
    /// Rebuild the lists and search tables from the documents (dựng lại chỉ mục)
    Reindex,
    /// Who this register writes as, what waits for sync, and an integrity check (trạng thái)
    Status,
    /// Pair this register with the commune hub, using a coordinator's pairing code (ghép máy chủ xã)
    Enrol {
        /// The hub's address, e.g. https://hub.xa.example:8443
        hub_url: String,
        /// The pairing code from the coordinator (XXXX-XXXX-XX)
        code: String,
        /// SHA-256 (hex) of the hub's certificate, for a hub with its own (self-signed) certificate
        #[arg(long, value_name = "SHA256")]
        pin: Option<String>,
    },
    /// Ask for a person's or a household's data to be erased (yêu cầu xoá dữ liệu): erased here
    /// at once if the household never reached the commune, otherwise decided by the commune.
    Erase {
        /// Household id, or its first 4+ characters
        household: String,
        /// Member id, or its first 4+ characters; without it, the whole household
        #[arg(long)]
        member: Option<String>,
    },
    /// Send this register's changes to the commune hub and receive the area's (đồng bộ).
    /// Exits with 1 when the sync did not finish; run it again to finish, nothing is lost.
    Sync {
        /// No progress bar
        #[arg(long, short)]
        quiet: bool,
    },
}

#[derive(Args)]
struct InitArgs {
    /// Volunteer id, as enrolled by the commune (letters without accents, digits, - and _)
    #[arg(long)]
    volunteer: String,
    /// Commune code (5 digits); find it with `gocua units search`
    #[arg(long)]
    commune: String,
}

#[derive(Subcommand)]
enum HamletCmd {
    /// Add a hamlet to the commune's list (thêm thôn)
    Add {
        /// Hamlet name, e.g. "Thôn Đông"
        name: String,
    },
    /// List the commune's hamlets (danh sách thôn)
    List,
}

/// A position typed from a GPS reading or a pin on a map.
#[derive(Args)]
struct GpsArgs {
    /// Latitude, WGS84 decimal degrees
    #[arg(long, requires = "lon", allow_negative_numbers = true)]
    lat: Option<f64>,
    /// Longitude, WGS84 decimal degrees
    #[arg(long, requires = "lat", allow_negative_numbers = true)]
    lon: Option<f64>,
    /// Accuracy in metres (assumed 10 when not given)
    #[arg(long, requires = "lat", value_name = "M")]
    accuracy: Option<f64>,
    /// The position is a pin placed on a map, not a GPS fix
    #[arg(long, requires = "lat")]
    pin: bool,
}

#[derive(Args)]
struct HouseholdAddArgs {
    /// Hamlet id or name (see `gocua hamlet list`)
    #[arg(long)]
    hamlet: String,
    #[arg(long)]
    street: Option<String>,
    /// Alley (ngõ, ngách, hẻm, kiệt)
    #[arg(long)]
    alley: Option<String>,
    #[arg(long)]
    house_number: Option<String>,
    #[command(flatten)]
    gps: GpsArgs,
    /// Official digital-address code, SCHEME:CODE (e.g. VNPOST_10:0123456789)
    #[arg(long, value_name = "SCHEME:CODE")]
    official: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

#[derive(Args)]
struct HouseholdEditArgs {
    /// Household id, or its first 4+ characters
    household: String,
    /// Move to another hamlet (id or name)
    #[arg(long)]
    hamlet: Option<String>,
    /// New street; an empty value clears it
    #[arg(long)]
    street: Option<String>,
    #[arg(long, conflicts_with = "street")]
    clear_street: bool,
    /// New alley; an empty value clears it
    #[arg(long)]
    alley: Option<String>,
    #[arg(long, conflicts_with = "alley")]
    clear_alley: bool,
    /// New house number; an empty value clears it
    #[arg(long)]
    house_number: Option<String>,
    #[arg(long, conflicts_with = "house_number")]
    clear_house_number: bool,
    #[command(flatten)]
    gps: GpsArgs,
    #[arg(long, conflicts_with = "lat")]
    clear_gps: bool,
    /// New official code SCHEME:CODE; an empty value clears it
    #[arg(long, value_name = "SCHEME:CODE")]
    official: Option<String>,
    #[arg(long, conflicts_with = "official")]
    clear_official: bool,
    /// New notes; an empty value clears them
    #[arg(long)]
    notes: Option<String>,
    #[arg(long, conflicts_with = "notes")]
    clear_notes: bool,
    /// Make this member the head of household
    #[arg(long, value_name = "MEMBER")]
    head: Option<String>,
    /// Household status: active, moved_away, dissolved
    #[arg(long, value_name = "CODE")]
    lifecycle: Option<String>,
    /// Mark as a duplicate of another household (sets the status to merged)
    #[arg(long, value_name = "HOUSEHOLD", conflicts_with = "lifecycle")]
    merged_into: Option<String>,
}

#[derive(Subcommand)]
enum HouseholdCmd {
    /// Register a new household; prints its id (thêm hộ)
    Add(HouseholdAddArgs),
    /// Change household fields (sửa hộ)
    Edit(HouseholdEditArgs),
    /// Everything recorded about a household (xem hộ)
    Show {
        /// Household id, or its first 4+ characters
        household: String,
        /// Also show who changed what, when
        #[arg(long)]
        history: bool,
        /// Show ID numbers and phones in full (only with the person present)
        #[arg(long)]
        full: bool,
    },
    /// Households of a hamlet, by head's name (danh sách hộ)
    List {
        /// Hamlet id or name
        #[arg(long)]
        hamlet: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// The household card: QR payload and Plus Code (thẻ hộ)
    Card {
        /// Household id, or its first 4+ characters
        household: String,
    },
    /// Who changed what, when (lịch sử)
    History {
        /// Household id, or its first 4+ characters
        household: String,
    },
}

#[derive(Args)]
struct MemberAddArgs {
    /// Household id, or its first 4+ characters
    household: String,
    /// Full name, with diacritics ("Nguyễn Văn An")
    #[arg(long)]
    name: String,
    #[arg(long, value_name = "CODE", help = format!("Relation to the head: {}", codes::<Relation>()))]
    relation: String,
    /// Date of birth: YYYY, YYYY-MM-DD or DD/MM/YYYY
    #[arg(long)]
    birth: Option<String>,
    #[arg(long, help = format!("Gender: {}", codes::<Gender>()))]
    gender: Option<String>,
    /// Personal ID number (CCCD, 12 digits)
    #[arg(long)]
    id_number: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long, default_value = "thuong_tru", help = format!("Residence: {}", codes::<ResidenceType>()))]
    residence: String,
    /// Purposes the person consented to at the door (local_register,setup_help,share_with_commune).
    /// The birth date, ID number and phone are stored only with local_register: the consent is
    /// recorded first, then those fields (Law 91/2025)
    #[arg(long, value_name = "PURPOSES")]
    consent: Option<String>,
    /// Consent method: witnessed_verbal, or signature / thumbprint on the kept paper form
    #[arg(long, default_value = "witnessed_verbal")]
    consent_method: String,
    /// Version of the notice read out (default: the core's current notice)
    #[arg(long)]
    notice: Option<String>,
    /// For a minor: the guardian member who consents (id or its first 4+ characters)
    #[arg(long)]
    guardian: Option<String>,
}

#[derive(Args)]
struct MemberEditArgs {
    /// Household id, or its first 4+ characters
    household: String,
    /// Member id, or its first 4+ characters
    member: String,
    #[arg(long)]
    name: Option<String>,
    #[arg(long, value_name = "CODE", help = format!("Relation to the head: {}", codes::<Relation>()))]
    relation: Option<String>,
    /// YYYY, YYYY-MM-DD or DD/MM/YYYY; an empty value clears it
    #[arg(long)]
    birth: Option<String>,
    #[arg(long, conflicts_with = "birth")]
    clear_birth: bool,
    /// male or female; an empty value clears it
    #[arg(long)]
    gender: Option<String>,
    #[arg(long, conflicts_with = "gender")]
    clear_gender: bool,
    /// An empty value clears it
    #[arg(long)]
    id_number: Option<String>,
    #[arg(long, conflicts_with = "id_number")]
    clear_id_number: bool,
    /// An empty value clears it
    #[arg(long)]
    phone: Option<String>,
    #[arg(long, conflicts_with = "phone")]
    clear_phone: bool,
    #[arg(long, help = format!("Residence: {}", codes::<ResidenceType>()))]
    residence: Option<String>,
}

#[derive(Subcommand)]
enum MemberCmd {
    /// Add a member; prints the member id (thêm thành viên)
    Add(MemberAddArgs),
    /// Change member fields (sửa thành viên)
    Edit(MemberEditArgs),
    /// Mark a member as no longer in the household; history is kept (xoá khỏi hộ)
    Remove {
        /// Household id, or its first 4+ characters
        household: String,
        /// Member id, or its first 4+ characters
        member: String,
    },
    /// Relation codes and their labels (mã quan hệ với chủ hộ)
    Relations,
}

#[derive(Subcommand)]
enum ChecklistCmd {
    /// Set one checklist item of a member (cập nhật mục)
    Set {
        /// Household id, or its first 4+ characters
        household: String,
        /// Member id, or its first 4+ characters
        member: String,
        #[arg(help = format!("Item: {}", codes::<ChecklistItem>()))]
        item: String,
        #[arg(help = format!("Status: {}", codes::<ChecklistStatus>()))]
        status: String,
        /// Why it failed or was declined (required for failed)
        #[arg(long)]
        reason: Option<String>,
        #[arg(long, help = format!("For the smartphone item: {}", codes::<SmartphoneAccess>()))]
        smartphone: Option<String>,
    },
    /// The guided-onboarding steps and cautions for an item (hướng dẫn)
    Guide {
        #[arg(help = format!("Item: {}", codes::<ChecklistItem>()))]
        item: String,
    },
    /// Item and status codes with their labels (danh mục)
    Items,
}

#[derive(Subcommand)]
enum ConsentCmd {
    /// Record consent given by the person, or by a guardian for a minor (ghi nhận đồng ý)
    Give {
        /// Household id, or its first 4+ characters
        household: String,
        /// Member id, or its first 4+ characters
        member: String,
        #[arg(long, value_name = "LIST", help = format!("Comma-separated purposes the person chose: {}", PURPOSE_CODES.join(", ")))]
        purposes: String,
        /// Version of the notice read out or shown
        #[arg(long, value_name = "VERSION")]
        notice: String,
        #[arg(long, help = format!("How consent was given: {}", codes::<ConsentMethod>()))]
        method: String,
        /// The guardian (a member of the household) consenting for a minor
        #[arg(long, value_name = "MEMBER")]
        guardian: Option<String>,
    },
    /// Record that the person withdrew consent (all purposes) (rút lại đồng ý)
    Withdraw {
        /// Household id, or its first 4+ characters
        household: String,
        /// Member id, or its first 4+ characters
        member: String,
        #[arg(long, value_name = "VERSION")]
        notice: String,
        #[arg(long, help = format!("How the withdrawal was given: {}", codes::<ConsentMethod>()))]
        method: String,
    },
}

#[derive(Subcommand)]
enum VisitCmd {
    /// Record a visit (ghi lần thăm)
    Add {
        /// Household id, or its first 4+ characters
        household: String,
        #[arg(long, help = format!("Outcome: {}", codes::<VisitOutcome>()))]
        outcome: String,
        /// Visit date, YYYY-MM-DD or DD/MM/YYYY (default today)
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// When to come back, YYYY-MM-DD or DD/MM/YYYY
        #[arg(long)]
        follow_up: Option<String>,
    },
}

#[derive(Args)]
#[group(id = "choice", required = true, multiple = false)]
struct Choice {
    /// The value to keep, exactly as listed by `gocua conflicts --full`
    #[arg(long)]
    value: Option<String>,
    /// The number of the value to keep, as listed by `gocua conflicts`
    #[arg(long, value_name = "N")]
    pick: Option<usize>,
    /// Clear the field instead
    #[arg(long)]
    clear: bool,
}

#[derive(Args)]
struct ResolveArgs {
    /// Household id, or its first 4+ characters
    household: String,
    /// The field, as listed by `gocua conflicts` (household.street, member.<id>.full_name)
    field: String,
    #[command(flatten)]
    choice: Choice,
}

#[derive(Subcommand)]
enum BundleCmd {
    /// Seal everything the hub lacks from this register into one file (đóng gói)
    Seal {
        /// Folder to write the file into
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Use bundle files: the hub's answer to this register is applied, other phones' files are
    /// kept to carry (mở gói)
    Open {
        /// Files (.gocua)
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Bundles sealed here and bundles carried for other phones (danh sách gói)
    List,
    /// The other phones of the area a household can be handed to (các máy trong địa bàn)
    Phones {
        /// Ask the hub now (needs coverage)
        #[arg(long)]
        refresh: bool,
    },
    /// Hand one household to another phone of the area, without coverage (trao hộ)
    Hand {
        /// Household id, or its first 4+ characters
        household: String,
        /// The receiving phone's device id (see `gocua bundle phones`)
        #[arg(long)]
        to: String,
        /// Folder to write the file into
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Write the answers carried for other phones to files, to give back to them (trả gói)
    HandOver {
        /// Folder to write the files into
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Only the answers for this phone (device id)
        #[arg(long)]
        device: Option<String>,
    },
}

#[derive(Subcommand)]
enum UnitsCmd {
    /// Find provinces and communes by name (diacritics optional) or code (tìm đơn vị)
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// A unit by code; a province lists its communes (xem đơn vị)
    Show { code: String },
}

fn run(cli: Cli, ctx: &mut Ctx) -> error::Result<()> {
    use commands::*;
    match cli.command {
        Command::Init(a) => init::run(ctx, &a.volunteer, &a.commune),
        Command::Hamlet(HamletCmd::Add { name }) => hamlet::add(ctx, &name),
        Command::Hamlet(HamletCmd::List) => hamlet::list(ctx),
        Command::Household(cmd) => match cmd {
            HouseholdCmd::Add(a) => household::add(ctx, a),
            HouseholdCmd::Edit(a) => household::edit(ctx, a),
            HouseholdCmd::Show {
                household,
                history,
                full,
            } => show::show(ctx, &household, history, full),
            HouseholdCmd::List {
                hamlet,
                limit,
                offset,
            } => household::list(ctx, &hamlet, limit, offset),
            HouseholdCmd::Card { household } => household::card(ctx, &household),
            HouseholdCmd::History { household } => show::history(ctx, &household),
        },
        Command::Member(cmd) => match cmd {
            MemberCmd::Add(a) => member::add(ctx, a),
            MemberCmd::Edit(a) => member::edit(ctx, a),
            MemberCmd::Remove { household, member } => member::remove(ctx, &household, &member),
            MemberCmd::Relations => member::relations(ctx),
        },
        Command::Checklist(cmd) => match cmd {
            ChecklistCmd::Set {
                household,
                member,
                item,
                status,
                reason,
                smartphone,
            } => checklist::set(
                ctx,
                &household,
                &member,
                &item,
                &status,
                reason,
                smartphone.as_deref(),
            ),
            ChecklistCmd::Guide { item } => checklist::guide(ctx, &item),
            ChecklistCmd::Items => checklist::items(ctx),
        },
        Command::Consent(cmd) => match cmd {
            ConsentCmd::Give {
                household,
                member,
                purposes,
                notice,
                method,
                guardian,
            } => consent::give(
                ctx,
                &household,
                &member,
                &purposes,
                &notice,
                &method,
                guardian.as_deref(),
            ),
            ConsentCmd::Withdraw {
                household,
                member,
                notice,
                method,
            } => consent::withdraw(ctx, &household, &member, &notice, &method),
        },
        Command::Visit(VisitCmd::Add {
            household,
            outcome,
            date,
            note,
            follow_up,
        }) => visit::add(
            ctx,
            &household,
            &outcome,
            date.as_deref(),
            note,
            follow_up.as_deref(),
        ),
        Command::Search { query, limit } => search::search(ctx, &query, limit),
        Command::Conflicts { household, full } => conflicts::list(ctx, &household, full),
        Command::Resolve(a) => {
            let choice = match (a.choice.value, a.choice.pick) {
                (Some(v), _) => conflicts::Choice::Value(v),
                (None, Some(n)) => conflicts::Choice::Pick(n),
                (None, None) => conflicts::Choice::Clear,
            };
            conflicts::resolve(ctx, &a.household, &a.field, choice)
        }
        Command::Counts { hamlet } => search::counts(ctx, hamlet.as_deref()),
        Command::Bundle(BundleCmd::Seal { dir }) => bundle::seal(ctx, &dir),
        Command::Bundle(BundleCmd::Open { files }) => bundle::open(ctx, &files),
        Command::Bundle(BundleCmd::List) => bundle::list(ctx),
        Command::Bundle(BundleCmd::Phones { refresh }) => bundle::phones(ctx, refresh),
        Command::Bundle(BundleCmd::Hand { household, to, dir }) => {
            bundle::hand(ctx, &household, &to, &dir)
        }
        Command::Bundle(BundleCmd::HandOver { dir, device }) => {
            bundle::hand_over(ctx, &dir, device.as_deref())
        }
        Command::Units(UnitsCmd::Search { query, limit }) => units::search(ctx, &query, limit),
        Command::Units(UnitsCmd::Show { code }) => units::show(ctx, &code),
        Command::Export { household, file } => sync::export(ctx, &household, &file),
        Command::Import { file } => sync::import(ctx, &file),
        Command::Reindex => status::reindex(ctx),
        Command::Status => status::status(ctx),
        Command::Enrol { hub_url, code, pin } => hub::enrol(ctx, &hub_url, &code, pin),
        Command::Sync { quiet } => hub::run(ctx, quiet),
        Command::Erase { household, member } => erase::run(ctx, &household, member.as_deref()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match usage_error::sentence(&e, usage_error::lang_from_args(&args)) {
            Some(sentence) => {
                eprintln!("{sentence}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    let mut ctx = Ctx::new(cli.db.clone(), Out::new(cli.lang, cli.json));
    let result = run(cli, &mut ctx);
    let code = match &result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            ctx.out.error(e);
            ExitCode::from(e.exit_code())
        }
    };
    ctx.out.flush();
    code
}

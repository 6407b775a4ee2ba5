//! A province's follower (issue 17): each commune of the province on this hub (several share a
//! PostgreSQL database) with its aggregates: households registered against those expected,
//! still to verify, the campaign's indicators, its devices and how many are overdue. No
//! household, name or number of a person is read for it.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Datelike;
use gocua_core::catalog::admin_units;

use super::i18n::Lang;
use super::page::{D, Dash, PageError, Signed, num, ok_page, province_page};
use super::sync_report::is_stale;

/// Hours without a successful sync after which a device counts as overdue here.
const OVERDUE_HOURS: u32 = 48;

fn pct(n: u64, of: u64) -> u64 {
    (n * 100).checked_div(of).unwrap_or(0)
}

fn render(d: &Dash, who: &Signed, lang: Lang) -> Result<Response, PageError> {
    let province = &who.coordinator.commune;
    let store = d.store();
    let now = d.now();
    let today = crate::time::local_date(now);
    let week_start = today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64);
    let mut rows = Vec::new();
    let mut total = (0u64, 0u64, 0u64);
    for commune in store.communes()? {
        let Some(unit) = admin_units::commune(&commune)
            .filter(|u| u.province_code.as_deref() == Some(province.as_str()))
        else {
            continue;
        };
        let o = store.overview(&commune, week_start)?;
        let expected: u64 = o.hamlets.iter().filter_map(|h| h.expected).sum();
        let devices = store.devices(&commune, now)?;
        let active = devices.iter().filter(|r| !r.revoked).count();
        let overdue = devices
            .iter()
            .filter(|r| is_stale(r, now, OVERDUE_HOURS))
            .count();
        let (vneid2, public, cashless) = o.hamlets.iter().fold((0, 0, 0), |a, h| {
            (
                a.0 + h.vneid_level2,
                a.1 + h.public_service,
                a.2 + h.cashless,
            )
        });
        total.0 += o.households;
        total.1 += expected;
        total.2 += o.to_verify;
        rows.push(minijinja::context! {
            code => commune, name => lang.pick(&unit.full_name, &unit.name_en).to_owned(),
            households => num(o.households, lang), households_raw => o.households,
            expected => (expected > 0).then(|| num(expected, lang)),
            complete_pct => (expected > 0).then(|| pct(o.households, expected)),
            to_verify => num(o.to_verify, lang), members => num(o.members, lang),
            five_pct => pct(o.with_five_skills, o.households),
            vneid2_pct => pct(vneid2, o.members), public_pct => pct(public, o.members),
            cashless_pct => pct(cashless, o.members),
            devices => active, overdue => overdue,
        });
    }
    ok_page(
        d,
        "province.html",
        lang,
        who,
        minijinja::context! {
            page => "province", communes => rows,
            total_households => num(total.0, lang), total_expected => num(total.1, lang),
            total_to_verify => num(total.2, lang), overdue_hours => OVERDUE_HOURS,
        },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    province_page(d, headers, render).await
}

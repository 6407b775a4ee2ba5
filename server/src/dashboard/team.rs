//! The commune's coordinators (issue 17): an editor invites one (with a temporary password shown
//! once), resets a forgotten password, changes a role, removes an account; everyone changes
//! their own password (`crate::coordinator_admin`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::i18n::{Lang, t};
use super::page::{
    D, Dash, PageError, Signed, action, bad_form, field, local_time, ok_page, own_action, page,
};
use crate::store::Role;
use crate::{admin, coordinator_admin};

/// A temporary password to hand over, shown on this answer only.
struct Handed {
    id: String,
    password: String,
}

fn render(
    d: &Dash,
    who: &Signed,
    lang: Lang,
    notice: Option<String>,
    handed: Option<Handed>,
) -> Result<Response, PageError> {
    let coordinators: Vec<_> = d
        .hub
        .store()
        .coordinators(&who.coordinator.commune)?
        .into_iter()
        .map(|c| {
            minijinja::context! {
                id => c.coordinator_id, name => c.name, role => c.role.code(),
                role_label => t(lang, c.role.code()), since => local_time(&c.created_at),
                has_password => c.has_password,
            }
        })
        .collect();
    ok_page(
        d,
        "team.html",
        lang,
        who,
        minijinja::context! {
            page => "team", coordinators => coordinators, notice => notice,
            handed => handed.map(|h| minijinja::context! { id => h.id, password => h.password }),
        },
    )
}

pub async fn get(State(d): State<D>, headers: HeaderMap) -> Response {
    page(d, headers, |d, who, lang| render(d, who, lang, None, None)).await
}

fn role_of(form: &[(String, String)]) -> Result<Role, PageError> {
    match field(form, "role") {
        Some("editor") => Ok(Role::Editor),
        Some("viewer") => Ok(Role::Viewer),
        _ => Err(bad_form()),
    }
}

/// An editor's change to another account, by the form's `op` field.
pub async fn post(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    action(d, headers, body, |d, who, lang, form| {
        let store = d.hub.store();
        let store = store.as_ref();
        let commune = who.coordinator.commune.clone();
        let acting = who.coordinator.coordinator_id.clone();
        let op = field(form, "op").unwrap_or("").to_owned();
        let id = field(form, "id").unwrap_or("").trim().to_owned();
        let result = match op.as_str() {
            "invite" => {
                let role = role_of(form)?;
                let name = field(form, "name").unwrap_or("");
                coordinator_admin::invite(store, &commune, &id, name, role, d.now())
                    .map(|p| (t(lang, "coordinator_invited"), Some(p)))
            }
            "reset" => coordinator_admin::reset_password(store, &commune, &acting, &id)
                .map(|p| (t(lang, "password_reset"), Some(p))),
            "role" => {
                let role = role_of(form)?;
                if id == acting {
                    Err(admin::AdminError::Invalid {
                        vi: "không thể đổi vai trò của chính mình".into(),
                        en: "one cannot change one's own role".into(),
                    })
                } else if store.coordinator_commune(&id)?.as_deref() != Some(commune.as_str()) {
                    Err(admin::AdminError::NotFound(id.clone()))
                } else {
                    admin::set_role(store, &id, role.code())
                        .map(|()| (t(lang, "role_changed"), None))
                }
            }
            "remove" => coordinator_admin::remove(store, &commune, &acting, &id)
                .map(|()| (t(lang, "coordinator_removed"), None)),
            _ => return Err(bad_form()),
        };
        let action = format!("coordinator.{op}");
        match result {
            Ok((notice, password)) => {
                d.audit(who, &action, &id, "ok");
                let handed = password.map(|password| Handed {
                    id: id.clone(),
                    password,
                });
                render(d, who, lang, Some(notice.replace("{id}", &id)), handed)
            }
            Err(e) => {
                d.audit(who, &action, &id, "refused");
                Err(PageError::from(e))
            }
        }
    })
    .await
}

/// Any coordinator changes their own password; their sessions end, so they sign in again.
pub async fn password(State(d): State<D>, headers: HeaderMap, body: Bytes) -> Response {
    own_action(d, headers, body, |d, who, lang, form| {
        let id = who.coordinator.coordinator_id.clone();
        let r = coordinator_admin::change_own_password(
            d.hub.store().as_ref(),
            &id,
            field(form, "current").unwrap_or(""),
            field(form, "new").unwrap_or(""),
        );
        match r {
            Ok(()) => {
                d.audit(who, "coordinator.own_password", &id, "ok");
                Ok(super::auth::login_page(
                    d,
                    lang,
                    axum::http::StatusCode::OK,
                    Some("password_changed"),
                ))
            }
            Err(e) => {
                d.audit(who, "coordinator.own_password", &id, "refused");
                Err(PageError::from(e))
            }
        }
    })
    .await
}

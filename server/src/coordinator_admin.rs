//! The commune's coordinator accounts as its editors manage them in the dashboard (issue 17):
//! invite (an account with a temporary password shown once), reset a forgotten password, change
//! one's own, remove. The command line has `add-coordinator`, `set-password`, `set-role` and
//! `remove-coordinator`.

use chrono::{DateTime, Utc};

use crate::admin::{self, AdminError};
use crate::dashboard::auth;
use crate::store::{HubStore, Role};

/// Characters of a temporary password: about 59 bits, typed once and then changed.
const TEMPORARY_PASSWORD_LEN: usize = 12;

fn invalid(vi: &str, en: &str) -> AdminError {
    AdminError::Invalid {
        vi: vi.into(),
        en: en.into(),
    }
}

fn set_temporary_password(store: &dyn HubStore, id: &str) -> Result<String, AdminError> {
    let password = admin::readable_code(TEMPORARY_PASSWORD_LEN);
    auth::set_password(store, id, &password).map_err(|_| {
        invalid(
            "không đặt được mật khẩu tạm",
            "the temporary password could not be set",
        )
    })?;
    Ok(password)
}

/// Creates a coordinator of the commune with a role and a temporary password, returned to be
/// handed over once (the hub keeps only its hash).
pub fn invite(
    store: &dyn HubStore,
    commune: &str,
    id: &str,
    name: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<String, AdminError> {
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(invalid(
            "họ tên cán bộ từ 1 đến 100 ký tự",
            "a coordinator's name has 1 to 100 characters",
        ));
    }
    if store.coordinator_commune(id)?.is_some() {
        return Err(invalid(
            "mã cán bộ này đã có",
            "this coordinator id is already taken",
        ));
    }
    admin::add_coordinator(store, id, name.trim(), commune, now)?;
    admin::set_role(store, id, role.code())?;
    set_temporary_password(store, id)
}

/// A coordinator of `commune` other than the one acting.
fn other_of_commune(
    store: &dyn HubStore,
    commune: &str,
    acting: &str,
    id: &str,
) -> Result<(), AdminError> {
    if store.coordinator_commune(id)?.as_deref() != Some(commune) {
        return Err(AdminError::NotFound(format!("coordinator {id}")));
    }
    if id == acting {
        return Err(invalid(
            "không thể làm việc này với tài khoản của chính mình",
            "this cannot be done to one's own account",
        ));
    }
    Ok(())
}

/// Gives another coordinator of the commune a new temporary password and ends their sessions.
pub fn reset_password(
    store: &dyn HubStore,
    commune: &str,
    acting: &str,
    id: &str,
) -> Result<String, AdminError> {
    other_of_commune(store, commune, acting, id)?;
    set_temporary_password(store, id)
}

/// Removes another coordinator of the commune; the commune keeps at least one editor.
pub fn remove(
    store: &dyn HubStore,
    commune: &str,
    acting: &str,
    id: &str,
) -> Result<(), AdminError> {
    other_of_commune(store, commune, acting, id)?;
    let editors = store
        .coordinators(commune)?
        .into_iter()
        .filter(|c| c.role == Role::Editor && c.coordinator_id != id)
        .count();
    if editors == 0 {
        return Err(invalid(
            "xã phải còn ít nhất một cán bộ được sửa",
            "the commune must keep at least one editor",
        ));
    }
    store.remove_coordinator(id)?;
    Ok(())
}

/// Changes the acting coordinator's own password after checking the current one.
pub fn change_own_password(
    store: &dyn HubStore,
    id: &str,
    current: &str,
    new: &str,
) -> Result<(), AdminError> {
    let dash = store
        .dashboard()
        .ok_or_else(|| AdminError::NotFound("dashboard".into()))?;
    let hash = dash.coordinator_login(id)?.and_then(|l| l.password_hash);
    if !hash.is_some_and(|h| auth::verify_password(current, &h)) {
        return Err(invalid(
            "mật khẩu hiện tại không đúng",
            "the current password is wrong",
        ));
    }
    if new == current {
        return Err(invalid(
            "mật khẩu mới phải khác mật khẩu cũ",
            "the new password must differ from the old one",
        ));
    }
    auth::set_password(store, id, new).map_err(|_| {
        invalid(
            "mật khẩu mới cần ít nhất 8 ký tự",
            "a new password needs at least 8 characters",
        )
    })
}

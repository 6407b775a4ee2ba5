//! Erasure at the hub (docs/SECURITY.md): a coordinator's erasure of a household or a member,
//! and the requests devices file for a coordinator's decision. A device's word alone erases
//! nothing the hub holds: any device of an area could otherwise wipe its colleagues' work.

use chrono::{DateTime, Utc};
use gocua_core::model::{DeviceId, MemberId, VolunteerId, is_valid_id};
use gocua_core::sync::merge::device_actor_hex;
use gocua_core::sync::wire::{DocEpoch, EraseAnswer, EraseRequest, EraseRequestState};
use gocua_core::{ChangeContext, HouseholdDoc};

use super::{ApiError, Hub, MERGE_ATTEMPTS, area_contains, write_of};
use crate::store::{
    DeviceRecord, DocWrite, EraseDecision, EraseRequestRecord, NewEraseRequest, StoreError,
};

impl Hub {
    /// Erases a household (`member = None`) or one member's personal data, on a coordinator's
    /// order; `actor` is recorded in the audit log (`coordinator:<id>`). Only households of
    /// `commune` can be erased. Returns the new erasure state, or `None` when there was nothing
    /// to erase (unknown household, member already gone). See docs/SECURITY.md.
    pub fn erase(
        &self,
        actor: &str,
        commune: &str,
        id: &str,
        member: Option<&str>,
    ) -> Result<Option<DocEpoch>, ApiError> {
        if !is_valid_id(id) || member.is_some_and(|m| !is_valid_id(m)) {
            return Err(ApiError::bad_request("id"));
        }
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let erased = self.erase_locked(actor, id, member, commune)?;
        if erased.is_some() {
            // The requests it answers are settled with it.
            self.store
                .decide_erase_requests(id, member, true, self.now(), actor)?;
        }
        Ok(erased)
    }

    /// [`Hub::erase_once`], again when the document was written meanwhile by another process.
    fn erase_locked(
        &self,
        actor: &str,
        id: &str,
        member: Option<&str>,
        commune: &str,
    ) -> Result<Option<DocEpoch>, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.erase_once(actor, id, member, commune) {
                Err(StoreError::ChangedMeanwhile { .. }) if attempt < MERGE_ATTEMPTS => continue,
                Err(e) => return Err(e.into()),
                Ok(answer) => return answer,
            }
        }
    }

    /// One attempt at an erasure: the outer error is the store's, so that a concurrent write is
    /// retried.
    fn erase_once(
        &self,
        actor: &str,
        id: &str,
        member: Option<&str>,
        commune: &str,
    ) -> Result<Result<Option<DocEpoch>, ApiError>, StoreError> {
        let Some(rec) = self.store.load_doc(id)? else {
            return Ok(Ok(None));
        };
        if rec.commune != commune {
            self.store
                .audit(self.now(), actor, "erase.refused_outside_area", id)?;
            return Ok(Ok(None));
        }
        let now = self.now();
        let rewrite = match member {
            None => None,
            Some(m) => {
                let Ok(doc) = HouseholdDoc::load(&rec.bytes) else {
                    return Ok(Err(ApiError::internal()));
                };
                let member = MemberId(m.to_owned());
                match doc.read() {
                    Ok(h) if h.members.contains_key(&member) => {}
                    Ok(_) => return Ok(Ok(None)),
                    Err(_) => return Ok(Err(ApiError::internal())),
                }
                let ctx = ChangeContext {
                    volunteer: VolunteerId(actor.rsplit(':').next().unwrap_or("hub").to_owned()),
                    device: DeviceId(self.store.hub_id()?),
                    at: now,
                };
                let written = doc
                    .rewritten_without(Some(&member), &ctx)
                    .and_then(|mut fresh| write_of(id, &mut fresh, Some(rec.seq), now));
                let Ok(w) = written else {
                    return Ok(Err(ApiError::internal()));
                };
                Some(DocWrite {
                    commune: rec.commune.clone(),
                    hamlet: rec.hamlet.clone(),
                    ..w
                })
            }
        };
        let epoch =
            self.store
                .erase_doc(id, &rec.commune, &rec.hamlet, rewrite.as_ref(), now, actor)?;
        Ok(Ok(Some(epoch)))
    }

    /// Files each erasure request of a device's sync and says where it stands: nothing of it
    /// on the hub (never pushed, or erased already) is `Erased`; outside the device's area is
    /// `Refused` (and audited); anything else waits for a coordinator.
    pub(super) fn answer_erase_requests(
        &self,
        device: &DeviceRecord,
        requests: &[EraseRequest],
        now: DateTime<Utc>,
    ) -> Result<Vec<EraseAnswer>, ApiError> {
        let mut answers = Vec::with_capacity(requests.len());
        for e in requests {
            let state = self.file_erase_request(device, e, now)?;
            answers.push(EraseAnswer {
                id: e.id.clone(),
                member: e.member.clone(),
                state,
            });
        }
        Ok(answers)
    }

    fn file_erase_request(
        &self,
        device: &DeviceRecord,
        e: &EraseRequest,
        now: DateTime<Utc>,
    ) -> Result<EraseRequestState, ApiError> {
        let Some(rec) = self.store.load_doc(&e.id)? else {
            return Ok(EraseRequestState::Erased);
        };
        if !area_contains(&device.area, &rec.commune, &rec.hamlet) {
            self.store.audit(
                now,
                &format!("device:{}", device.device_id),
                "erase.refused_outside_area",
                &e.id,
            )?;
            return Ok(EraseRequestState::Refused);
        }
        let mut doc = HouseholdDoc::load(&rec.bytes).map_err(|_| ApiError::internal())?;
        if let Some(m) = &e.member {
            let h = doc.read().map_err(|_| ApiError::internal())?;
            if !h.members.contains_key(&MemberId(m.clone())) {
                return Ok(EraseRequestState::Erased);
            }
        }
        // What this device alone wrote and nobody else has seen is its own to erase (a push
        // whose answer was lost, then erased on the phone): no one else's work is at stake.
        let own = device_actor_hex(&DeviceId(device.device_id.clone()));
        let sole_author = doc.change_actors().iter().all(|a| *a == own);
        if sole_author && !self.store.held_elsewhere(&e.id, &device.device_id)? {
            let actor = format!("device:{}", device.device_id);
            self.erase_locked(&actor, &e.id, e.member.as_deref(), &rec.commune)?;
            return Ok(EraseRequestState::Erased);
        }
        let decision = self.store.file_erase_request(
            &NewEraseRequest {
                household: &e.id,
                member: e.member.as_deref(),
                commune: &rec.commune,
                hamlet: &rec.hamlet,
                device_id: &device.device_id,
                volunteer_id: &device.volunteer_id,
            },
            now,
        )?;
        Ok(match decision {
            EraseDecision::Refused => EraseRequestState::Refused,
            // Approved but still here: the erasure failed midway and waits to be approved again.
            EraseDecision::Pending | EraseDecision::Approved => EraseRequestState::Pending,
        })
    }

    /// A coordinator of `commune` approves (the household or member is erased from the hub and,
    /// through sync, from every device) or refuses an erasure request; both are audited.
    pub fn decide_erasure(
        &self,
        coordinator: &str,
        commune: &str,
        request_id: i64,
        approve: bool,
    ) -> Result<EraseRequestRecord, ApiError> {
        let actor = format!("coordinator:{coordinator}");
        let not_found = || {
            ApiError::new(
                404,
                "not_found",
                "không có yêu cầu xoá này",
                "no such erasure request",
            )
        };
        let Some(request) = self.store.erase_request(request_id)? else {
            return Err(not_found());
        };
        if request.commune != commune {
            self.store.audit(
                self.now(),
                &actor,
                "erase.refused_other_commune",
                &request_id.to_string(),
            )?;
            return Err(not_found());
        }
        if request.decision == EraseDecision::Approved {
            return Ok(request);
        }
        if approve {
            // Settles the request too, unless the household was gone already.
            self.erase(
                &actor,
                commune,
                &request.household,
                request.member.as_deref(),
            )?;
        }
        self.store.decide_erase_requests(
            &request.household,
            request.member.as_deref(),
            approve,
            self.now(),
            &actor,
        )?;
        self.store.erase_request(request_id)?.ok_or_else(not_found)
    }
}

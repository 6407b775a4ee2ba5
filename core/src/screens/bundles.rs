//! The bundles screen: sync without coverage, as a volunteer sees it. What waits to be sent and
//! whether it can be sealed; the bundles sealed here and what became of them (answered, by which
//! path); what this phone carries for other phones; and every sentence about a file it is given.
//! The shells only move bytes: share a sealed file, pick or receive one, hand answers back.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::view::{ActionView, Lang, NoticeLevel, OptionView, tr};
use crate::register::Register;
use crate::sync::{Received, SyncError, bundle_file_name};
use crate::vietnam_time::local;

/// One bundle in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleRowView {
    pub id: String,
    pub title: String,
    pub state: String,
    /// Settled: answered, delivered, handed back.
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundlesView {
    pub headline: String,
    pub details: Vec<String>,
    pub seal: ActionView,
    pub open: ActionView,
    pub hand_over: ActionView,
    pub sealed: Vec<BundleRowView>,
    pub carried: Vec<BundleRowView>,
    /// The area's other phones a household can be handed to (code: device id; label: its
    /// volunteer), learnt at a sync.
    pub phones: Vec<OptionView>,
}

/// A sealed file for the shell to share or save, with its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleFileView {
    pub id: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sentence: String,
}

/// What a file given to this phone did, in words; `severity` colours it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenedView {
    pub sentence: String,
    pub severity: NoticeLevel,
}

fn when(t: DateTime<Utc>) -> String {
    local(t).format("%d/%m %H:%M").to_string()
}

fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

/// The screen's state now.
pub fn bundles_view(reg: &Register, lang: Lang) -> Result<BundlesView, SyncError> {
    let enrolled = reg.sync_peer()?.is_some();
    let ready = reg.bundle_ready()?;
    let pending = reg.pending_count()?;
    let sealed_list = if enrolled {
        reg.bundle_list()?
    } else {
        Vec::new()
    };
    let carried_list = if enrolled {
        reg.bundle_carried()?
    } else {
        Vec::new()
    };
    let to_hand = carried_list
        .iter()
        .filter(|c| !c.to_hub && c.done_at.is_none())
        .count();
    let waiting = sealed_list
        .iter()
        .filter(|s| s.answered_at.is_none())
        .count();
    let headline = if !enrolled {
        tr(
            lang,
            "Máy này chưa ghép với xã: chưa đóng gói được.",
            "This phone is not enrolled with the commune: nothing can be sealed yet.",
        )
    } else if !ready {
        tr(
            lang,
            "Cần đồng bộ một lần ở nơi có sóng để nhận khoá của xã; sau đó mới đóng gói được.",
            "Sync once where there is coverage to receive the commune's key; then bundles can be sealed.",
        )
    } else if pending > 0 {
        match lang {
            Lang::Vi => format!(
                "{pending} hộ chờ gửi. Không có sóng? Đóng gói rồi đưa tệp cho người sắp về xã."
            ),
            Lang::En => format!(
                "{pending} households wait to be sent. No coverage? Seal them and give the file to someone going to the commune."
            ),
        }
    } else {
        tr(
            lang,
            "Không còn gì chờ gửi.",
            "Nothing is waiting to be sent.",
        )
    };
    let mut details = Vec::new();
    if waiting > 0 {
        details.push(match lang {
            Lang::Vi => format!(
                "{waiting} gói đang chờ trả lời của xã; các hộ trong đó vẫn chờ gửi cho đến khi có trả lời hoặc đồng bộ được."
            ),
            Lang::En => format!(
                "{waiting} bundles await the commune's answer; their households stay waiting until the answer comes or a sync runs."
            ),
        });
    }
    if to_hand > 0 {
        details.push(match lang {
            Lang::Vi => format!("{to_hand} trả lời của xã cần mang về cho máy khác."),
            Lang::En => format!("{to_hand} answers of the commune to carry back to other phones."),
        });
    }
    let sealed = sealed_list
        .iter()
        .map(|s| {
            let title = match lang {
                Lang::Vi => format!("Gói {} · {} hộ", when(s.created_at), s.households),
                Lang::En => format!(
                    "Bundle {} · {} households",
                    when(s.created_at),
                    s.households
                ),
            };
            let state = match (s.answered_at, s.answered_via.as_deref()) {
                (Some(at), Some("bundle")) => match lang {
                    Lang::Vi => {
                        format!("Xã đã trả lời ({}), mang về qua người mang gói.", when(at))
                    }
                    Lang::En => format!("Answered by the commune ({}), carried back.", when(at)),
                },
                (Some(at), _) => match lang {
                    Lang::Vi => format!("Đã gửi qua mạng khi đồng bộ ({}).", when(at)),
                    Lang::En => format!("Sent by a sync ({}).", when(at)),
                },
                (None, _) => tr(
                    lang,
                    "Chờ trả lời của xã.",
                    "Awaiting the commune's answer.",
                ),
            };
            BundleRowView {
                id: s.id.clone(),
                title,
                state,
                done: s.answered_at.is_some(),
            }
        })
        .collect();
    let carried = carried_list
        .iter()
        .map(|c| {
            let title = match (c.to_hub, lang) {
                (true, Lang::Vi) => format!("Gói của máy {} gửi xã", short(&c.device)),
                (true, Lang::En) => format!("Phone {}'s bundle to the commune", short(&c.device)),
                (false, Lang::Vi) => format!("Trả lời của xã cho máy {}", short(&c.device)),
                (false, Lang::En) => format!("The commune's answer for phone {}", short(&c.device)),
            };
            let state = match (c.to_hub, c.done_at, c.outcome.as_deref()) {
                (true, None, _) => tr(
                    lang,
                    "Sẽ chuyển lên xã ở lần đồng bộ tới.",
                    "Delivered at the next sync.",
                ),
                (false, None, _) => tr(
                    lang,
                    "Cần mang về cho máy đó.",
                    "To carry back to that phone.",
                ),
                (true, Some(at), Some("applied")) => match lang {
                    Lang::Vi => format!("Đã chuyển lên xã ({}).", when(at)),
                    Lang::En => format!("Delivered to the commune ({}).", when(at)),
                },
                (true, Some(at), Some(code)) => {
                    let reason = crate::bundle::BundleError::from_code(code)
                        .map(|e| {
                            let (vi, en) = e.messages();
                            lang.pick(&vi, &en).to_owned()
                        })
                        .unwrap_or_else(|| code.to_owned());
                    match lang {
                        Lang::Vi => format!("Xã từ chối ({}): {reason}.", when(at)),
                        Lang::En => format!("Refused by the commune ({}): {reason}.", when(at)),
                    }
                }
                (_, Some(at), _) => match lang {
                    Lang::Vi => format!("Đã trao lại ({}).", when(at)),
                    Lang::En => format!("Handed back ({}).", when(at)),
                },
            };
            BundleRowView {
                id: c.id.clone(),
                title,
                state,
                done: c.done_at.is_some(),
            }
        })
        .collect();
    let phones = if enrolled {
        reg.bundle_peers()?
            .into_iter()
            .map(|p| OptionView {
                label: format!("{} ({})", p.volunteer_id, short(&p.device_id)),
                code: p.device_id,
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(BundlesView {
        phones,
        headline,
        details,
        seal: ActionView {
            id: "seal".into(),
            label: tr(lang, "Đóng gói để gửi", "Seal to send"),
            enabled: ready,
        },
        open: ActionView {
            id: "open".into(),
            label: tr(lang, "Mở tệp gói", "Open a bundle file"),
            enabled: enrolled,
        },
        hand_over: ActionView {
            id: "hand_over".into(),
            label: match lang {
                Lang::Vi => format!("Trao trả lời ({to_hand})"),
                Lang::En => format!("Hand answers back ({to_hand})"),
            },
            enabled: to_hand > 0,
        },
        sealed,
        carried,
    })
}

/// Seals everything waiting into one file to share.
pub fn seal(reg: &mut Register, lang: Lang) -> Result<BundleFileView, SyncError> {
    let sealed = reg.bundle_seal()?;
    let file_name = bundle_file_name(&sealed.bytes)?;
    let sentence = match lang {
        Lang::Vi => format!(
            "Đã đóng gói {} hộ. Gửi tệp cho người sắp về xã (hoặc chép vào USB); họ không đọc được nội dung.",
            sealed.households
        ),
        Lang::En => format!(
            "Sealed {} households. Send the file to someone going to the commune (or copy it to a USB stick); they cannot read it.",
            sealed.households
        ),
    };
    Ok(BundleFileView {
        id: sealed.id,
        file_name,
        bytes: sealed.bytes,
        sentence,
    })
}

/// One household sealed for another phone of the area (`to`: a code of `phones`), with this
/// phone's own bundle to the hub inside.
pub fn hand_over(
    reg: &mut Register,
    household: &crate::model::HouseholdId,
    to: &str,
    lang: Lang,
) -> Result<BundleFileView, SyncError> {
    let sealed = reg.bundle_hand_over(household, to)?;
    Ok(BundleFileView {
        id: sealed.id,
        file_name: bundle_file_name(&sealed.bytes)?,
        bytes: sealed.bytes,
        sentence: match lang {
            Lang::Vi => format!(
                "Đã đóng gói hộ cho máy {}: chỉ máy đó mở được. Gửi tệp cho máy đó (Bluetooth, tin nhắn).",
                short(to)
            ),
            Lang::En => format!(
                "Sealed the household for phone {}: only that phone can open it. Send it the file (Bluetooth, a message).",
                short(to)
            ),
        },
    })
}

/// A file given to this phone (opened with the app, shared to it, picked): applied, kept to
/// carry, or refused, in words. Never fails: a refusal is a sentence.
pub fn open(reg: &mut Register, bytes: &[u8], lang: Lang) -> OpenedView {
    match reg.bundle_receive(bytes) {
        Ok(received) => OpenedView {
            sentence: received_sentence(&received, lang),
            severity: NoticeLevel::Info,
        },
        Err(e) => OpenedView {
            sentence: super::sync_status::error_sentence(&e, lang),
            severity: NoticeLevel::Error,
        },
    }
}

pub fn received_sentence(received: &Received, lang: Lang) -> String {
    match received {
        Received::Applied(a) => match lang {
            Lang::Vi => format!(
                "Đã nhận trả lời của xã: {} hộ đã lưu ở xã, {} hộ mới nhận, {} hộ bị từ chối.",
                a.pushed,
                a.pulled,
                a.rejected.len()
            ),
            Lang::En => format!(
                "The commune's answer is in: {} households stored at the commune, {} received, {} refused.",
                a.pushed,
                a.pulled,
                a.rejected.len()
            ),
        },
        Received::CarriedToHub { from_device } => match lang {
            Lang::Vi => format!(
                "Đã nhận gói của máy {} để mang về xã; gói sẽ được chuyển ở lần đồng bộ tới.",
                short(from_device)
            ),
            Lang::En => format!(
                "Took phone {}'s bundle to carry to the commune; it goes at the next sync.",
                short(from_device)
            ),
        },
        Received::CarriedToDevice { for_device } => match lang {
            Lang::Vi => format!(
                "Đã nhận trả lời của xã cho máy {}; hãy trao lại cho máy đó.",
                short(for_device)
            ),
            Lang::En => format!(
                "Took the commune's answer for phone {}; hand it back to that phone.",
                short(for_device)
            ),
        },
        Received::HandedOver { from_device, .. } => match lang {
            Lang::Vi => format!(
                "Đã nhận một hộ từ máy {}; gói của máy đó sẽ được chuyển lên xã ở lần đồng bộ tới.",
                short(from_device)
            ),
            Lang::En => format!(
                "Took a household from phone {}; that phone's bundle goes to the commune at the next sync.",
                short(from_device)
            ),
        },
        Received::AlreadyHeld => tr(
            lang,
            "Máy này đã có gói đó, không cần làm gì.",
            "This phone already has that bundle; nothing to do.",
        ),
    }
}

/// The answers this phone carries for other phones, as files to hand back. The shell shares
/// each, then calls [`handed`] with its id.
pub fn answers_to_hand(reg: &Register, lang: Lang) -> Result<Vec<BundleFileView>, SyncError> {
    reg.bundle_answers_to_hand(None)?
        .into_iter()
        .map(|(id, device, bytes)| {
            Ok(BundleFileView {
                id,
                file_name: bundle_file_name(&bytes)?,
                sentence: match lang {
                    Lang::Vi => format!("Trả lời cho máy {}", short(&device)),
                    Lang::En => format!("Answer for phone {}", short(&device)),
                },
                bytes,
            })
        })
        .collect()
}

/// An answer handed back: dropped from this phone.
pub fn handed(reg: &mut Register, id: &str) -> Result<bool, SyncError> {
    reg.bundle_handed(id)
}

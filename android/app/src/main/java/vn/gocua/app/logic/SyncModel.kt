package vn.gocua.app.logic

import vn.gocua.core.GocuaException
import vn.gocua.core.Phase
import vn.gocua.core.Rejected
import vn.gocua.core.SessionOutcome
import vn.gocua.core.SyncReport

/**
 * The sync screen: a button, a progress bar while the core's `sync` runs (its `SyncProgress`
 * calls land in [onProgress], from the syncing thread: the screen posts them to the UI thread),
 * the outcome in words, and the documents the hub rejected with its reasons.
 */
class SyncModel(private val t: Texts) {
    sealed class State {
        object Idle : State()
        data class Running(val phase: Phase, val done: Long, val total: Long) : State()
        data class Finished(val report: SyncReport) : State()
        data class Error(val message: String, val cancelled: Boolean) : State()
    }

    var state: State = State.Idle
        private set
    var pending: Int = 0

    val running get() = state is State.Running
    val canStart get() = !running

    fun onStarted() { state = State.Running(Phase.PREPARING, 0, 0) }

    fun onProgress(phase: Phase, done: Long, total: Long) {
        if (state is State.Running) state = State.Running(phase, done, total)
    }

    fun onFinished(r: SyncReport) {
        state = State.Finished(r)
        pending = r.pendingAfter.toInt()
    }

    fun onFailed(e: GocuaException) {
        state = State.Error(Errors.describe(e, t), e is GocuaException.Cancelled)
    }

    /** 0..100 for the progress bar; indeterminate while the total is unknown. */
    fun percent(): Int = (state as? State.Running)?.let { Format.percent(it.done, it.total) } ?: 0

    fun indeterminate(): Boolean = (state as? State.Running)?.total?.let { it <= 0 } ?: false

    fun phaseText(): String = when (val s = state) {
        is State.Running -> when (s.phase) {
            Phase.PREPARING -> t.pick("Đang chuẩn bị…", "Preparing…")
            Phase.SENDING -> t.pick("Đang gửi ${s.done}/${s.total} hộ…", "Sending ${s.done}/${s.total} households…")
            Phase.RECEIVING -> t.pick("Đang nhận ${s.done}/${s.total}…", "Receiving ${s.done}/${s.total}…")
            Phase.FINISHING -> t.pick("Đang hoàn tất…", "Finishing…")
            Phase.DONE -> t.pick("Xong.", "Done.")
        }
        else -> ""
    }

    /** The outcome in words. */
    fun outcomeText(): String = when (val s = state) {
        State.Idle -> if (pending == 0) t.pick("Mọi thay đổi đã được đồng bộ.", "Everything is synced.")
        else t.pick("${t.households(pending)} chưa đồng bộ.", "${t.households(pending)} not synced yet.")
        is State.Running -> phaseText()
        is State.Error -> s.message
        is State.Finished -> {
            val r = s.report
            val sent = r.pushed.toInt(); val got = r.pulled.toInt(); val left = r.pendingAfter.toInt()
            when (r.outcome) {
                SessionOutcome.SUCCESS -> t.pick(
                    "Đồng bộ xong: đã gửi ${t.households(sent)}, nhận ${t.households(got)} thay đổi.",
                    "Sync complete: sent ${t.households(sent)}, received changes to ${t.households(got)}.",
                )
                SessionOutcome.PARTIAL -> t.pick(
                    "Đồng bộ chưa trọn: đã gửi ${t.households(sent)}, ${r.rejected.size} bị từ chối, còn ${t.households(left)} chờ gửi.",
                    "Sync incomplete: sent ${t.households(sent)}, ${r.rejected.size} rejected, ${t.households(left)} still waiting.",
                )
                SessionOutcome.CANCELLED -> t.pick(
                    "Đã dừng đồng bộ. Những gì đã lưu vẫn còn; còn ${t.households(left)} chờ gửi.",
                    "Sync stopped. What was stored stays stored; ${t.households(left)} still waiting.",
                )
                SessionOutcome.FAILED -> t.pick(
                    "Đồng bộ không thành công; còn ${t.households(left)} chờ gửi. Thử lại sau.",
                    "Sync failed; ${t.households(left)} still waiting. Try again later.",
                )
            }
        }
    }

    /** The hub's refusals: which household (short id, no personal data) and why. */
    fun rejectedLines(names: Map<String, String> = emptyMap()): List<String> {
        val list: List<Rejected> = (state as? State.Finished)?.report?.rejected ?: emptyList()
        return list.map { r -> "${names[r.docId] ?: Format.shortId(r.docId)}: ${t.pick(r.messageVi, r.messageEn)} (${r.code})" }
    }
}

import Foundation
import XCTest
import GocuaCore
@testable import GocuaKit

/// The platform pieces of the iOS shell that need no hub: the core queue, the rows every view
/// draws, error sentences, the form's draft file.
final class PlatformTests: XCTestCase {
    func testCoreCallsRunOffTheMainThreadAndAnswerOnIt() {
        let queue = CoreQueue()
        var onMain: Bool?
        var workOnMain: Bool?
        queue.run({ () -> Int in workOnMain = Thread.isMainThread; return 7 }, then: { v in
            XCTAssertEqual(v, 7)
            onMain = Thread.isMainThread
        })
        until { onMain != nil }
        XCTAssertEqual(workOnMain, false)
        XCTAssertEqual(onMain, true)
    }

    func testRowsCarryTheCoresPieces() {
        let field = FieldView(key: "birth", label: "Ngày sinh", value: "31/02/1980", hint: "5/3/1950", required: false, enabled: true,
                              messages: [Notice(code: "a", severity: .warning, text: "w"), Notice(code: "b", severity: .error, text: "e")],
                              paste: false, kind: .text, options: [])
        let row = Rows.field(field)
        XCTAssertEqual(row.key, "birth")
        XCTAssertEqual(row.label, "Ngày sinh")
        XCTAssertEqual(row.value, "31/02/1980")
        XCTAssertEqual(row.hint, "5/3/1950")
        XCTAssertEqual(row.messages.map(\.text), ["w", "e"])
        XCTAssertEqual(row.tone, .error, "the strongest message colours the field")
        let pasted = Rows.field(FieldView(key: "k", label: "", value: "", hint: "", required: true, enabled: false, messages: [], paste: true,
                                          kind: .text, options: []))
        XCTAssertNil(pasted.tone)
        XCTAssertTrue(pasted.paste)
        XCTAssertFalse(row.paste)
        XCTAssertEqual([row].field("birth"), row)
        XCTAssertEqual(row.kind, .text)
        let picker = Rows.field(FieldView(key: "gender", label: "Giới tính", value: "male", hint: "", required: false, enabled: true, messages: [],
                                          paste: false, kind: .choice,
                                          options: [OptionView(code: "male", label: "Nam", selected: true), OptionView(code: "female", label: "Nữ", selected: false)]))
        XCTAssertEqual(picker.kind, .choice)
        XCTAssertEqual(picker.options.map(\.label), ["Nam", "Nữ"])
        XCTAssertEqual(picker.options.selectedCode, "male")
        XCTAssertNil([row].field("phone"))

        let actions = Rows.actions([ActionView(id: "save", label: "Lưu", enabled: false), ActionView(id: "cancel", label: "Huỷ", enabled: true)])
        XCTAssertFalse(actions.enabled("save"))
        XCTAssertTrue(actions.enabled("cancel"))
        XCTAssertFalse(actions.enabled("give"), "an action the view lacks is not tappable")
        XCTAssertEqual(actions.action("save")?.label, "Lưu")

        let options = Rows.options([OptionView(code: "a", label: "A", selected: false), OptionView(code: "b", label: "B", selected: true)])
        XCTAssertEqual(options.selectedCode, "b")
        XCTAssertNil(Rows.options([]).selectedCode)
        XCTAssertEqual(Rows.notice(Notice(code: "x", severity: .info, text: "t")), NoticeRow(code: "x", text: "t", tone: .info))
        XCTAssertLessThan(Tone.info, Tone.warning)
    }

    func testErrorsAreTheCoresSentencesNotADump() {
        let network = ShownError(GocuaError.Network(reason: "connection refused 10.0.0.1"), .en)
        XCTAssertEqual(network.errorDescription, errorText(error: .Network(reason: "connection refused 10.0.0.1"), lang: .en))
        XCTAssertFalse(network.message.contains("GocuaError"))
        XCTAssertFalse(network.message.isEmpty)
        XCTAssertEqual(ShownError(GocuaError.NotFound(reason: "no such household"), .en).message, "no such household")
        struct Other: Error {}
        XCTAssertEqual(ShownError(Other(), .en).message, "Unexpected error.")
    }

    func testTheDraftKeepsTheLastValueOfEachField() throws {
        let url = scratch().appendingPathComponent("draft.json")
        let draft = FormDraft(url: url)
        XCTAssertTrue(draft.isEmpty)
        draft.record(.set(key: "hamlet", value: "h1"))
        draft.record(.set(key: "street", value: "Đội"))
        draft.record(.set(key: "street", value: "Đội Cấn"))
        draft.record(.save)
        draft.record(.gps(fix: fix(accuracy: 5)))
        XCTAssertEqual(FormDraft(url: url).events, [.set(key: "hamlet", value: "h1"), .set(key: "street", value: "Đội Cấn")])
        draft.clear()
        // A draft written before a pick was its field's `set` is read the same way.
        try Data(#"[{"hamlet":{"_0":"h2"}},{"set":{"key":"notes","value":"x"}}]"#.utf8).write(to: url)
        XCTAssertEqual(FormDraft(url: url).events, [.set(key: "hamlet", value: "h2"), .set(key: "notes", value: "x")])
        draft.clear()
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        XCTAssertTrue(FormDraft(url: url).isEmpty)
    }

    func testALanguageSwitchReachesTheRegister() throws {
        let app = AppState(directory: scratch(), store: MemoryStore(), lang: .vi)
        let root = RootPage(app: app)
        var told = false
        root.observe { told = true }
        root.switchLanguage()
        until { told }
        XCTAssertEqual(app.lang, .en)
    }
}

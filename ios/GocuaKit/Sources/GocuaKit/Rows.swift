import Foundation
import GocuaCore

/// How a notice is drawn (colour and symbol are the view's; the words are the core's).
public enum Tone: Int, Comparable, Sendable {
    case info, warning, error
    public init(_ level: NoticeLevel) {
        switch level {
        case .info: self = .info
        case .warning: self = .warning
        case .error: self = .error
        }
    }
    public static func < (a: Tone, b: Tone) -> Bool { a.rawValue < b.rawValue }
}

/// A notice of the core, ready to draw.
public struct NoticeRow: Equatable, Hashable, Sendable {
    public let code: String
    public let text: String
    public let tone: Tone
}

/// A field of the core: its label, value and hint, and its messages drawn beside it.
public struct FieldRow: Equatable, Sendable {
    public let key: String
    public let label: String
    public let value: String
    public let hint: String
    public let required: Bool
    public let enabled: Bool
    public let messages: [NoticeRow]
    /// The core offers to paste the clipboard into it (a copied pairing code).
    public let paste: Bool
    /// How it is filled: typed, picked from `options`, or typed to find `options`.
    public let kind: Kind
    /// Its own choices: all of them for a picker, the matches so far for a search.
    public let options: [OptionRow]

    public enum Kind: Sendable {
        case text, choice, search
        public init(_ kind: FieldKind) {
            switch kind {
            case .text: self = .text
            case .choice: self = .choice
            case .search: self = .search
            }
        }
    }
    /// The strongest of its messages (nil: none): the view's frame colour.
    public var tone: Tone? { messages.map(\.tone).max() }
}

/// A choice of the core (a picker's entry, a toggle).
public struct OptionRow: Equatable, Hashable, Sendable {
    public let code: String
    public let label: String
    public let selected: Bool
}

/// A button of the core: its id (what the page sends), its label and whether it may be tapped.
public struct ActionRow: Equatable, Hashable, Sendable {
    public let id: String
    public let label: String
    public let enabled: Bool
}

/// The one mapping of the core's view pieces to rows: every screen draws its fields, options,
/// actions and notices through it.
public enum Rows {
    public static func notice(_ n: Notice) -> NoticeRow { NoticeRow(code: n.code, text: n.text, tone: Tone(n.severity)) }
    public static func notices(_ ns: [Notice]) -> [NoticeRow] { ns.map(notice) }
    public static func field(_ f: FieldView) -> FieldRow {
        FieldRow(key: f.key, label: f.label, value: f.value, hint: f.hint, required: f.required,
                 enabled: f.enabled, messages: notices(f.messages), paste: f.paste,
                 kind: FieldRow.Kind(f.kind), options: options(f.options))
    }
    public static func fields(_ fs: [FieldView]) -> [FieldRow] { fs.map(field) }
    public static func option(_ o: OptionView) -> OptionRow { OptionRow(code: o.code, label: o.label, selected: o.selected) }
    public static func options(_ os: [OptionView]) -> [OptionRow] { os.map(option) }
    public static func action(_ a: ActionView) -> ActionRow { ActionRow(id: a.id, label: a.label, enabled: a.enabled) }
    public static func actions(_ xs: [ActionView]) -> [ActionRow] { xs.map(action) }
}

extension Array where Element == FieldRow {
    /// The field of `key`, if the view has it.
    public func field(_ key: String) -> FieldRow? { first { $0.key == key } }
}

extension Array where Element == ActionRow {
    /// The action `id`, if the view has it.
    public func action(_ id: String) -> ActionRow? { first { $0.id == id } }
    /// Whether the action `id` is shown and may be tapped.
    public func enabled(_ id: String) -> Bool { action(id)?.enabled ?? false }
}

extension Array where Element == OptionRow {
    /// The chosen entry's code (a single choice), if any.
    public var selectedCode: String? { first { $0.selected }?.code }
}

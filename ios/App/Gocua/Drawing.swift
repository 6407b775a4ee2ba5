// Platform code of the app: the QR code drawn from the core's modules (GocuaKit's bitmap) and the
// in-app QR scanner. Not compiled on Linux.
#if canImport(SwiftUI) && canImport(CoreLocation)
import SwiftUI
import UIKit
import GocuaKit
#if canImport(VisionKit)
import VisionKit
#endif

/// The QR code drawn from the core's modules (GocuaKit's bitmap: dark and light pixels).
enum QRImage {
    static func make(_ bitmap: QrBitmap) -> UIImage? {
        let data = Data(bitmap.pixels) as CFData
        guard let provider = CGDataProvider(data: data),
              let cg = CGImage(width: bitmap.side, height: bitmap.side, bitsPerComponent: 8, bitsPerPixel: 8,
                               bytesPerRow: bitmap.side, space: CGColorSpaceCreateDeviceGray(),
                               bitmapInfo: CGBitmapInfo(rawValue: CGImageAlphaInfo.none.rawValue),
                               provider: provider, decode: nil, shouldInterpolate: false, intent: .defaultIntent)
        else { return nil }
        return UIImage(cgImage: cg)
    }
}

// MARK: - In-app scan

#if canImport(VisionKit)
/// The in-app QR scanner (VisionKit): the first QR text read is handed over as is; the core reads it.
struct QRScanner: UIViewControllerRepresentable {
    static var available: Bool { DataScannerViewController.isSupported && DataScannerViewController.isAvailable }
    let found: (String) -> Void
    func makeUIViewController(context: Context) -> DataScannerViewController {
        let scanner = DataScannerViewController(recognizedDataTypes: [.barcode(symbologies: [.qr])], isHighlightingEnabled: true)
        scanner.delegate = context.coordinator
        return scanner
    }
    func updateUIViewController(_ controller: DataScannerViewController, context: Context) {
        if !context.coordinator.done && !controller.isScanning { try? controller.startScanning() }
    }
    func makeCoordinator() -> Coordinator { Coordinator(found) }
    final class Coordinator: NSObject, DataScannerViewControllerDelegate {
        let found: (String) -> Void
        var done = false
        init(_ found: @escaping (String) -> Void) { self.found = found }
        func dataScanner(_ s: DataScannerViewController, didAdd items: [RecognizedItem], allItems: [RecognizedItem]) {
            for case .barcode(let code) in items {
                guard !done, let text = code.payloadStringValue else { continue }
                done = true
                s.stopScanning()
                found(text)
            }
        }
    }
}
#else
struct QRScanner: View {
    static var available: Bool { false }
    let found: (String) -> Void
    var body: some View { EmptyView() }
}
#endif
#endif

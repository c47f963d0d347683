/// PKCS#7 padding with a chosen block size (16 for Lark's AES-CBC, 32 for WeCom's WXBizMsgCrypt).
package enum PKCS7 {
    /// `data` followed by 1…`blockSize` bytes, each holding the pad length.
    package static func pad(_ data: [UInt8], blockSize: Int) -> [UInt8] {
        let count = blockSize - data.count % blockSize
        return data + [UInt8](repeating: UInt8(count), count: count)
    }

    /// `data` without its padding, or `nil` when the padding is not valid: every pad byte is checked.
    package static func unpad(_ data: [UInt8], blockSize: Int) -> [UInt8]? {
        guard let last = data.last, data.count % blockSize == 0 else { return nil }
        let count = Int(last)
        guard count >= 1, count <= blockSize, count <= data.count else { return nil }
        guard data[(data.count - count)...].allSatisfy({ $0 == last }) else { return nil }
        return Array(data[..<(data.count - count)])
    }
}

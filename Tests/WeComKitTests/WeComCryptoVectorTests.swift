import Testing
import WeComKit

/// The official vectors W1, W2 and W3 of REFERENCE.md B10.1.
@Suite
struct WeComCryptoVectorTests {
    let w1 = try! WeComMessageCrypto(token: "QDG6eK", encodingAESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", receiveID: "wx5823bf96d3bd56c7")
    let w2 = try! WeComMessageCrypto(token: "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", encodingAESKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", receiveID: "ww1436e0e65a779aee")
    let w3 = try! WeComMessageCrypto(token: "123456", encodingAESKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", receiveID: "wx49f0ab532d5d035a")

    @Test
    func w1URLVerificationAndPostDecrypt() throws {
        #expect(try w1.verifyURL(
            msgSignature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", timestamp: "1409659589", nonce: "263014780",
            echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==")
            == "1616140317555161061")
        let encrypted = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
        let xml = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[\(encrypted)]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
        let plaintext = try w1.decryptXML(xml, msgSignature: "477715d11cdb4164915debcba66cb864d751f3e6", timestamp: "1409659813", nonce: "1372623149")
        #expect(plaintext == "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>")
        #expect(plaintext.utf8.count == 284)
    }

    @Test
    func w2URLVerificationXMLAndJSON() throws {
        #expect(try w2.verifyURL(
            msgSignature: "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", timestamp: "1476416373", nonce: "47744683",
            echostr: "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==")
            == "1288432023552776189")
        let xml = "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>"
        let plaintext = try w2.decryptXML(xml, msgSignature: "0c3914025cb4b4d68103f6bfc8db550f79dcf48e", timestamp: "1476422779", nonce: "1597212914")
        #expect(plaintext == "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>")
        let json = #"{ "tousername": "wx5823bf96d3bd56c7", "encrypt": "cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=", "agentid": 218 }"#
        let message = try w2.decryptJSON(Array(json.utf8), msgSignature: "e3647471e395139e2308c1fa963f2d648a00b90e", timestamp: "1409659813", nonce: "1372623149")
        // The official plaintext is itself invalid JSON (": :mycreate"): decryption must not care.
        #expect(String(decoding: message, as: UTF8.self).contains(#""FromUserName": :mycreate""#))
    }

    @Test
    func w3EchoDecryptWithPadOneAndAWrongNonce() throws {
        let echostr = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="
        #expect(try w3.verifyURL(msgSignature: "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", timestamp: "1411443780", nonce: "437374425", echostr: echostr) == "5927782489442352469")
        #expect(throws: WeComCryptoError(.signatureMismatch)) {
            try w3.verifyURL(msgSignature: "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", timestamp: "1411443780", nonce: "437374424", echostr: echostr)
        }
        let encrypted = "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0="
        let plaintext = String(decoding: try w3.decrypt(encrypted: encrypted, msgSignature: "74d92dfeb87ba7c714f89d98870ae5eb62dff26d", timestamp: "1411525903", nonce: "461056294"), as: UTF8.self)
        #expect(plaintext.contains("<Content><![CDATA[test]]></Content>"))
        #expect(plaintext.contains("messense"))
        #expect(plaintext.contains("4363689963896700987"))
    }

    @Test
    func w3DeterministicEncryptReproducesTheReplyByteForByte() {
        let message = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>"
        let encrypted = "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3"
        let random = Array("1234567890123456".utf8)
        #expect(w3.encrypt(Array(message.utf8), random: random) == encrypted)
        #expect(w3.signature(timestamp: "1411525903", nonce: "461056294", encrypted: encrypted) == "407518b7649e86ef23978113f92d27afa9296533")
        #expect(w3.passiveReplyXML(message, timestamp: "1411525903", nonce: "461056294", random: random)
            == "<xml>\n<Encrypt><![CDATA[\(encrypted)]]></Encrypt>\n<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>")
    }

    @Test
    func aCallbackForAnotherCorpIsRefused() throws {
        let sameKeyOtherCorp = try WeComMessageCrypto(token: "123456", encodingAESKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", receiveID: "wwSomeoneElse")
        let encrypted = sameKeyOtherCorp.encrypt(Array("<xml/>".utf8))
        let signature = w3.signature(timestamp: "1", nonce: "2", encrypted: encrypted)
        #expect(throws: WeComCryptoError(.receiveIDMismatch)) {
            try w3.decrypt(encrypted: encrypted, msgSignature: signature, timestamp: "1", nonce: "2")
        }
    }

    @Test(arguments: ["", "short", String(repeating: "a", count: 44), String(repeating: "!", count: 43)])
    func badEncodingAESKeysAreRefused(key: String) {
        #expect(throws: WeComCryptoError(.invalidAESKey)) { try WeComMessageCrypto(token: "t", encodingAESKey: key, receiveID: "c") }
    }
}

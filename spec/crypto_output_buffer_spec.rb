# frozen_string_literal: true

require "openssl"

# AesGcm#seal/#open and Keyring#encrypt write their result straight into the
# returned String (allocated once at its final size; large inputs are
# processed without the GVL). The results must be what OpenSSL computes, at
# every size around the threshold, with the input left untouched.
RSpec.describe "results written in place" do
  key = OpenSSL::Random.random_bytes(32)
  nonce = OpenSSL::Random.random_bytes(12)
  aead = PipelineGuard::Crypto::AesGcm.new(key)
  large = 256 * 1024

  def openssl_seal(key, nonce, plaintext, aad)
    c = OpenSSL::Cipher.new("aes-256-gcm").encrypt
    c.key = key
    c.iv = nonce
    c.auth_data = aad
    (plaintext.empty? ? c.final : c.update(plaintext) + c.final) + c.auth_tag
  end

  [0, 1, 100, large - 17, large - 16, large - 15, large, 1 << 20].each do |size|
    context "with #{size} bytes" do
      plaintext = OpenSSL::Random.random_bytes(size)

      it "seals and opens as OpenSSL does, with and without associated data" do
        ["", "header"].each do |aad|
          copy = plaintext.dup
          sealed = aead.seal(nonce, copy, aad)
          expect(copy).to eq(plaintext)
          expect(sealed.bytesize).to eq(size + 16)
          expect(sealed.encoding).to eq(Encoding::BINARY)
          expect(sealed).to eq(openssl_seal(key, nonce, plaintext, aad))
          opened = aead.open(nonce, sealed, aad)
          expect(opened).to eq(plaintext)
          expect(opened.encoding).to eq(Encoding::BINARY)
        end
      end

      it "refuses a changed tag or associated data" do
        sealed = aead.seal(nonce, plaintext, "a")
        expect { aead.open(nonce, sealed, "b") }.to raise_error(PipelineGuard::DecryptionError)
        sealed.setbyte(sealed.bytesize - 1, sealed.getbyte(sealed.bytesize - 1) ^ 1)
        expect { aead.open(nonce, sealed, "a") }.to raise_error(PipelineGuard::DecryptionError)
      end

      it "encrypts with a Keyring into a UTF-8 transit String that OpenSSL decrypts" do
        keyring = PipelineGuard::Keyring.from_transit_export({ "keys" => { "7" => [key].pack("m0") } })
        ct = keyring.encrypt(plaintext)
        expect(ct.encoding).to eq(Encoding::UTF_8)
        expect(ct).to start_with("vault:v7:")
        raw = ct.delete_prefix("vault:v7:").unpack1("m0")
        d = OpenSSL::Cipher.new("aes-256-gcm").decrypt
        d.key = key
        d.iv = raw[0, 12]
        d.auth_tag = raw[-16..]
        d.auth_data = ""
        body = raw[12...-16]
        expect((body.empty? ? "" : d.update(body)) + d.final).to eq(plaintext)
        expect(keyring.decrypt(ct)).to eq(plaintext)
        expect(keyring.decrypt(ct, associated_data: "").encoding).to eq(Encoding::BINARY)
        expect { keyring.decrypt(ct, associated_data: "other") }.to raise_error(PipelineGuard::DecryptionError)
      end
    end
  end

  it "keeps the two-digit and larger key versions in the prefix" do
    keyring = PipelineGuard::Keyring.from_transit_export({ "keys" => { "4294967295" => [key].pack("m0") } })
    expect(keyring.encrypt("x")).to start_with("vault:v4294967295:")
  end

  it "keeps the result Strings alive while they are filled (GC.stress)", :gc_stress do
    keyring = PipelineGuard::Keyring.generate
    plaintexts = Array.new(70) { |i| "secret #{i} " * 9 }
    3.times do
      expect(aead.open(nonce, aead.seal(nonce, "abc" * 50, "x"), "x")).to eq("abc" * 50)
      expect(keyring.decrypt(keyring.encrypt(plaintexts[0]))).to eq(plaintexts[0])
      expect(keyring.decrypt_many(keyring.encrypt_many(plaintexts))).to eq(plaintexts)
    end
  end
end

# frozen_string_literal: true

RSpec.describe PipelineGuard::Crypto do
  def unhex(str) = [str].pack("H*")

  describe PipelineGuard::Crypto::AesGcm do
    it "passes every Wycheproof AES-GCM test with a 96-bit nonce and 128-bit tag" do
      doc = load_vectors("wycheproof/aes_gcm_test.json")
      counts = Hash.new(0)
      doc["testGroups"].select { |g| g["ivSize"] == 96 && g["tagSize"] == 128 }.each do |group|
        group["tests"].each do |t|
          aead = described_class.new(unhex(t["key"]))
          nonce = unhex(t["iv"])
          sealed = unhex(t["ct"]) + unhex(t["tag"])
          if t["result"] == "valid"
            expect(aead.seal(nonce, unhex(t["msg"]), unhex(t["aad"]))).to eq(sealed)
            expect(aead.open(nonce, sealed, unhex(t["aad"]))).to eq(unhex(t["msg"]))
          else
            expect { aead.open(nonce, sealed, unhex(t["aad"])) }.to raise_error(PipelineGuard::DecryptionError)
          end
          counts[t["result"]] += 1
        end
      end
      expect(counts).to eq("valid" => 116, "invalid" => 81)
    end

    it "rejects bad keys and nonces with documented errors", :gc_stress do
      expect { described_class.new("short") }.to raise_error(PipelineGuard::InvalidKeyError)
      aead = described_class.new("k" * 32)
      expect { aead.seal("n" * 11, "x") }.to raise_error(PipelineGuard::InvalidInput, /nonce/)
      expect { aead.open("n" * 12, "tooshort") }.to raise_error(PipelineGuard::DecryptionError)
      expect { aead.seal(nil, "x") }.to raise_error(TypeError)
      expect(aead.inspect).not_to include("kkkk")
    end
  end

  it "computes HKDF-SHA256 as in Wycheproof" do
    doc = load_vectors("wycheproof/hkdf_sha256_test.json")
    doc["testGroups"].flat_map { |g| g["tests"] }.each do |t|
      run = lambda {
        described_class.hkdf_sha256(unhex(t["ikm"]), salt: unhex(t["salt"]), info: unhex(t["info"]), length: t["size"])
      }
      if t["result"] == "valid"
        expect(run.call).to eq(unhex(t["okm"]))
      else
        expect { run.call }.to raise_error(PipelineGuard::InvalidInput)
      end
    end
  end

  it "computes HMAC-SHA256 as in Wycheproof" do
    doc = load_vectors("wycheproof/hmac_sha256_test.json")
    doc["testGroups"].select { |g| g["tagSize"] == 256 }.flat_map { |g| g["tests"] }.each do |t|
      mac = described_class.hmac_sha256(unhex(t["key"]), unhex(t["msg"]))
      expect(described_class.secure_compare(mac, unhex(t["tag"]))).to eq(t["result"] == "valid")
    end
  end

  it "compares in constant time and only equal strings match" do
    expect(described_class.secure_compare("abc", "abc")).to be(true)
    expect(described_class.secure_compare("abc", "abd")).to be(false)
    expect(described_class.secure_compare("abc", "abcd")).to be(false)
    expect { described_class.secure_compare(nil, "a") }.to raise_error(TypeError)
  end
end

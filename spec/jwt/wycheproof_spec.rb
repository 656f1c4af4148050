# frozen_string_literal: true

# Every Wycheproof signature and MAC vector through
# PipelineGuard::Crypto.verify_signature from Ruby: valid ones verify,
# invalid ones are rejected, keys refused by policy are counted.
RSpec.describe "PipelineGuard::Crypto.verify_signature with Wycheproof vectors" do
  def unhex(str) = [str].pack("H*")

  # Rotates through the key forms users pass: PEM, OpenSSL key, JWK Hash.
  def group_key(group, index)
    case index % 3
    when 0 then group["publicKeyPem"]
    when 1 then OpenSSL::PKey.read(unhex(group["publicKeyDer"]))
    else group["publicKeyJwk"] || group["keyJwk"] || group["publicKeyPem"]
    end
  end

  def alg_for(family, sha)
    "#{family}#{sha.delete_prefix('SHA-')}"
  end

  def run_files(files, family) # rubocop:disable Metrics/CyclomaticComplexity
    tally = Hash.new(0)
    files.each do |file|
      doc = load_vectors("wycheproof/#{file}")
      doc["testGroups"].each_with_index do |group, gi|
        alg = family == "EdDSA" ? "EdDSA" : alg_for(family, group["sha"])
        key = group_key(group, gi)
        group["tests"].each do |t|
          begin
            ok = PipelineGuard::Crypto.verify_signature(alg, key, unhex(t["msg"]), unhex(t["sig"]))
          rescue PipelineGuard::InvalidKeyError => e
            expect(group.dig("publicKey", "publicExponent")).to eq("03"), "#{file} #{e.message}"
            tally[:refused] += 1
            next
          end
          case t["result"]
          when "valid" then expect(ok).to be(true), "#{file} tcId #{t['tcId']} #{t['comment']}"
          when "invalid" then expect(ok).to be(false), "#{file} tcId #{t['tcId']} #{t['comment']}"
          end
          tally[t["result"].to_sym] += 1
        end
      end
    end
    tally
  end

  it "RSA PKCS#1 v1.5 (RS256/384/512): 2330 tests, e=3 keys refused" do
    files = %w[2048 3072 4096].product(%w[256 384 512]).map { |b, s| "rsa_signature_#{b}_sha#{s}_test.json" }
    tally = run_files(files, "RS")
    expect(tally.values.sum).to eq(2330)
    expect(tally).to eq(valid: 63, invalid: 2253, acceptable: 9, refused: 5)
  end

  it "RSA-PSS (PS256/PS512): 395 tests" do
    files = %w[rsa_pss_2048_sha256_mgf1_32_test.json rsa_pss_3072_sha256_mgf1_32_test.json
               rsa_pss_4096_sha512_mgf1_64_test.json]
    tally = run_files(files, "PS")
    expect(tally).to eq(valid: 258, invalid: 137)
  end

  it "ECDSA P1363 (ES256/384/512): 860 tests" do
    files = %w[256r1_sha256 384r1_sha384 521r1_sha512].map { |c| "ecdsa_secp#{c}_p1363_test.json" }
    tally = run_files(files, "ES")
    expect(tally).to eq(valid: 597, invalid: 263)
  end

  it "Ed25519 (EdDSA): 151 tests" do
    expect(run_files(["ed25519_test.json"], "EdDSA")).to eq(valid: 88, invalid: 63)
  end

  it "HMAC (HS256/384/512, full-size tags): short keys refused unless allowed" do
    tally = Hash.new(0)
    { "256" => "HS256", "384" => "HS384", "512" => "HS512" }.each do |bits, alg|
      doc = load_vectors("wycheproof/hmac_sha#{bits}_test.json")
      doc["testGroups"].select { |g| g["tagSize"] == bits.to_i }.flat_map { |g| g["tests"] }.each do |t|
        key = unhex(t["key"])
        msg = unhex(t["msg"])
        tag = unhex(t["tag"])
        begin
          ok = PipelineGuard::Crypto.verify_signature(alg, key, msg, tag)
        rescue PipelineGuard::InvalidKeyError => e
          expect(e.message).to match(/at least \d+ bytes/)
          lax = PipelineGuard::JWT::VerifyingKey.hmac(key, enforce_length: false)
          ok = PipelineGuard::Crypto.verify_signature(alg, lax, msg, tag)
          tally[:short] += 1
        end
        expect(ok).to eq(t["result"] == "valid"), "#{alg} tcId #{t['tcId']}"
        tally[t["result"].to_sym] += 1
      end
    end
    expect(tally[:valid] + tally[:invalid]).to eq(261)
    expect(tally[:short]).to eq(9)
  end

  it "rejects unknown algorithms and keys of the wrong type", :gc_stress do
    rsa = OpenSSL::PKey::RSA.new(2048)
    ec = OpenSSL::PKey::EC.generate("prime256v1")
    expect { PipelineGuard::Crypto.verify_signature("none", rsa, "m", "") }.to raise_error(PipelineGuard::InvalidInput)
    expect { PipelineGuard::Crypto.verify_signature("RS1", rsa, "m", "") }.to raise_error(PipelineGuard::InvalidInput)
    expect { PipelineGuard::Crypto.verify_signature("ES256", rsa, "m", "x") }
      .to raise_error(PipelineGuard::InvalidKeyError)
    expect { PipelineGuard::Crypto.verify_signature("ES384", ec, "m", "x") }
      .to raise_error(PipelineGuard::InvalidKeyError)
    expect { PipelineGuard::Crypto.verify_signature("HS256", rsa.public_key.to_pem, "m", "x") }
      .to raise_error(PipelineGuard::InvalidKeyError)
    expect { PipelineGuard::Crypto.verify_signature("RS256", "-----BEGIN PUBLIC KEY-----\nxx", "m", "x") }
      .to raise_error(PipelineGuard::InvalidKeyError)
    expect { PipelineGuard::Crypto.verify_signature("RS256", 42, "m", "x") }
      .to raise_error(PipelineGuard::InvalidKeyError)
    expect { PipelineGuard::Crypto.verify_signature("RS256", rsa, nil, "x") }.to raise_error(TypeError)
    sig = rsa.sign("SHA256", "m")
    expect(PipelineGuard::Crypto.verify_signature("RS256", rsa, "m", sig)).to be(true)
    expect(PipelineGuard::Crypto.verify_signature(:RS256, rsa.public_key, "m", sig)).to be(true)
    expect(PipelineGuard::Crypto.verify_signature("RS256", rsa, "n", sig)).to be(false)
  end
end

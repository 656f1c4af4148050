# frozen_string_literal: true

require "openssl"

# Behaviours of the jwt gem that code switching to PipelineGuard::JWT relies
# on (the gem's own suites run in bin/jwt-compat; these pin the fixes).
RSpec.describe "PipelineGuard::JWT compatibility with the jwt gem" do
  let(:secret) { "s" * 32 }

  def b64(data) = Base64.urlsafe_encode64(data, padding: false)

  def hs256_token(header_json, payload_json)
    input = "#{b64(header_json)}.#{b64(payload_json)}"
    "#{input}.#{b64(OpenSSL::HMAC.digest('SHA256', secret, input))}"
  end

  describe ".encode" do
    it "produces the gem's bytes: header {\"alg\":...} only, no typ" do
      token = PipelineGuard::JWT.encode({ "data" => "test" }, secret, "HS256")
      expect(token).to eq(hs256_token('{"alg":"HS256"}', '{"data":"test"}'))
    end

    it "keeps header_fields in their order and puts alg last, as Hash#merge does" do
      token = PipelineGuard::JWT.encode({ "a" => 1 }, secret, "HS256", { kid: "k1", typ: "at+jwt" })
      expect(token).to eq(hs256_token('{"kid":"k1","typ":"at+jwt","alg":"HS256"}', '{"a":1}'))
    end

    it "keeps the place of an alg given in header_fields, with the algorithm's value" do
      token = PipelineGuard::JWT.encode({ "a" => 1 }, secret, "HS256", { "alg" => "HS512", "kid" => "k" })
      expect(token).to eq(hs256_token('{"alg":"HS256","kid":"k"}', '{"a":1}'))
    end

    it "signs String and Array payloads, as the gem does" do
      expect(PipelineGuard::JWT.encode("Hello World", secret, "HS256"))
        .to eq(hs256_token('{"alg":"HS256"}', '"Hello World"'))
      expect(PipelineGuard::JWT.encode([1, "two"], secret, "HS256"))
        .to eq(hs256_token('{"alg":"HS256"}', '[1,"two"]'))
    end
  end
end

RSpec.describe "PipelineGuard::JWT.decode compatibility with the jwt gem" do
  let(:jwt) { PipelineGuard::JWT }
  let(:secret) { "s" * 32 }
  let(:token) { jwt.encode({ "a" => 1 }, secret, "HS256") }

  after { jwt.configuration.reset! }

  it "defaults the allowlist to configuration.decode.algorithms (HS256), as the gem does" do
    expect(jwt.decode(token, secret)).to eq([{ "a" => 1 }, { "alg" => "HS256" }])
    rs = jwt.encode({ "a" => 1 }, OpenSSL::PKey::RSA.new(2048), "RS256")
    expect { jwt.decode(rs, secret) }.to raise_error(jwt::IncorrectAlgorithm, "Expected a different algorithm")
  end

  it "reads the configured decode defaults" do
    jwt.configuration.decode.algorithms = []
    expect { jwt.decode(token, secret) }.to raise_error(jwt::IncorrectAlgorithm, "An algorithm must be specified")
    jwt.configuration.decode.algorithms = ["HS256"]
    jwt.configuration.decode.required_claims = ["exp"]
    expect { jwt.decode(token, secret) }.to raise_error(jwt::MissingRequiredClaim)
  end

  it "raises the gem's errors in the gem's order for malformed tokens and missing keys" do
    expect { jwt.decode("", nil) }.to raise_error(jwt::DecodeError, "Not enough or too many segments")
    expect { jwt.decode("a.b.c.d", nil) }.to raise_error(jwt::DecodeError, "Not enough or too many segments")
    expect { jwt.decode(token, nil) }.to raise_error(jwt::DecodeError, "No verification key available")
    expect { jwt.decode(token, nil, true, algorithm: "RS256") }
      .to raise_error(jwt::IncorrectAlgorithm, "Expected a different algorithm")
    no_alg = "#{Base64.urlsafe_encode64('{"alg":null}', padding: false)}.#{token.split('.')[1]}.sig"
    expect { jwt.decode(no_alg, secret) }.to raise_error(jwt::IncorrectAlgorithm, "Token is missing alg header")
    expect { jwt.decode("#{token}*", secret) }.to raise_error(jwt::Base64DecodeError, "Invalid base64 encoding")
    not_json = "#{Base64.urlsafe_encode64('{nope', padding: false)}.e30.#{token.split('.')[2]}"
    expect { jwt.decode(not_json, secret) }.to raise_error(jwt::DecodeError, "Invalid segment encoding")
  end

  it "still verifies: the gem's order only picks the error" do
    forged = "#{token.split('.')[0, 2].join('.')}.#{Base64.urlsafe_encode64('x' * 32, padding: false)}"
    expect { jwt.decode(forged, secret) }.to raise_error(jwt::VerificationError, "Signature verification failed")
  end
end

RSpec.describe "PipelineGuard::JWT.decode verify_iat at exactly now" do
  let(:secret) { "s" * 32 }

  # Times spread over nanoseconds: the clock must read a Time exactly as
  # Time#to_f does, and a Float claim must parse back to the same Float.
  let(:times) { (1..400).map { |i| Time.at(1_700_000_000 + i, (i * 7_919_993) % 1_000_000_000, :nsec) } }

  it "accepts an iat equal to Time.now as a Float and as an Integer, as the gem does" do
    times.each do |now|
      allow(Time).to receive(:now).and_return(now)
      [now.to_f, now.to_i].each do |iat|
        token = PipelineGuard::JWT.encode({ "iat" => iat }, secret, "HS256")
        expect(PipelineGuard::JWT.decode(token, secret, true, algorithms: ["HS256"], verify_iat: true).first)
          .to eq("iat" => iat)
      end
    end
  end
end

RSpec.describe "PipelineGuard::JWT unverified decode and none, as the jwt gem" do
  let(:jwt) { PipelineGuard::JWT }
  let(:b64) { ->(s) { Base64.urlsafe_encode64(s, padding: false) } }

  it "encodes alg none when asked: the gem's bytes, empty signature" do
    expect(jwt.encode({ "a" => 1 }, nil, "none")).to eq("#{b64.call('{"alg":"none"}')}.#{b64.call('{"a":1}')}.")
    expect(jwt.encode("x", "ignored", "NONE",
                      { kid: "k" })).to eq("#{b64.call('{"kid":"k","alg":"none"}')}.#{b64.call('"x"')}.")
  end

  it "decode(token, nil, false) reads any token: none, String payloads, any header" do
    none = "#{b64.call('{"alg":"none"}')}.#{b64.call('"Hello"')}."
    expect(jwt.decode(none, nil, false)).to eq(["Hello", { "alg" => "none" }])
    crit = "#{b64.call('{"alg":"HS256","crit":["x"]}')}.#{b64.call('[1]')}.c2ln"
    expect(jwt.decode(crit, nil, false)).to eq([[1], { "alg" => "HS256", "crit" => ["x"] }])
  end

  it "keeps unverified parsing strict: segments, base64url, unique names" do
    expect { jwt.decode("a", nil, false) }.to raise_error(jwt::DecodeError, "Not enough or too many segments")
    expect { jwt.decode("#{b64.call('{"alg":"none"}')}=.e30.", nil, false) }
      .to raise_error(jwt::Base64DecodeError, "Invalid base64 encoding")
    expect { jwt.decode("#{b64.call('{"alg":"none"}')}.#{b64.call('{"a":1,"a":2}')}.", nil, false) }
      .to raise_error(jwt::DecodeError, /duplicate member/)
  end

  it "raises the gem 2.9 EncodeError for an unknown algorithm" do
    expect { jwt.encode({}, "s" * 32, "HS255") }.to raise_error(jwt::EncodeError, "Unsupported signing method")
  end
end

RSpec.describe PipelineGuard::JWT::Base64 do
  it "is the gem's JWT::Base64: unpadded base64url, strictly decoded" do
    expect(described_class.url_encode("\xfb\xff?")).to eq("-_8_")
    expect(described_class.url_decode("-_8_")).to eq("\xfb\xff?".b)
    ["-_8_\n", "+/8/", "YQ==", "YQ=", "a"].each do |bad|
      expect { described_class.url_decode(bad) }
        .to raise_error(PipelineGuard::JWT::Base64DecodeError, "Invalid base64 encoding")
    end
  end
end

RSpec.describe "PipelineGuard::JWT.encode with an EC key of another curve" do
  it "raises the gem's IncorrectAlgorithm naming both algorithms" do
    p384 = OpenSSL::PKey::EC.generate("secp384r1")
    expect { PipelineGuard::JWT.encode({}, p384, "ES256") }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm,
                      "payload algorithm is ES256 but ES384 signing key was provided")
    k1 = OpenSSL::PKey::EC.generate("secp256k1")
    expect { PipelineGuard::JWT.encode({}, k1, "ES256") }
      .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm,
                      "payload algorithm is ES256 but ES256K signing key was provided")
  end
end

# frozen_string_literal: true

require "jwt"

# Hostile tokens from Ruby: each must fail with the right DecodeError
# subclass, and nothing else may ever escape JWT.decode.
RSpec.describe "PipelineGuard::JWT attack suite" do
  jwt = PipelineGuard::JWT
  rsa = OpenSSL::PKey::RSA.new(2048)
  ec = OpenSSL::PKey::EC.generate("prime256v1")
  secret = "k" * 32

  def b64(data) = Base64.urlsafe_encode64(data, padding: false)

  def forge(header, payload,
            signature = "")
    "#{b64(JSON.generate(header))}.#{b64(JSON.generate(payload))}.#{b64(signature)}"
  end

  def hs256(input, key) = OpenSSL::HMAC.digest("SHA256", key, input)

  define_method(:decode) do |token, key = rsa.public_key, **options|
    jwt.decode(token, key, true, { algorithms: ["RS256"] }.merge(options))
  end

  let(:claims) { { "sub" => "job_1", "exp" => Time.now.to_i + 300 } }
  let(:good) { jwt.encode(claims, rsa, "RS256") }

  describe "alg none" do
    %w[none None NONE nOnE].each do |spelling|
      it "refuses alg #{spelling.inspect} even when allowlisted", :gc_stress do
        [forge({ alg: spelling }, claims), "#{forge({ alg: spelling }, claims)}AAAA",
         forge({ alg: spelling }, claims).delete_suffix(".")].each do |token|
          expect { decode(token, algorithms: [spelling, "RS256"]) }
            .to raise_error(PipelineGuard::JWT::DecodeError)
        end
        # Two segments: the gem's "Not enough or too many segments" unless
        # alg is exactly "none"; with it, refused as an algorithm.
        expect { decode(forge({ alg: spelling }, claims), algorithms: [spelling]) }
          .to raise_error(spelling == "none" ? PipelineGuard::JWT::IncorrectAlgorithm : PipelineGuard::JWT::DecodeError)
      end
    end

    it "encodes none only when asked, as the gem does, and never decodes it with verification" do
      token = jwt.encode(claims, nil, "none")
      expect(token).to end_with(".")
      expect(jwt.decode(token, nil, false)).to eq([claims, { "alg" => "none" }])
      expect { jwt.decode(token, nil, true, algorithms: ["none"]) }
        .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm, 'Algorithm "none" is not allowed')
      expect { jwt.decode(token, rsa.public_key, true, algorithms: %w[none RS256]) }
        .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm, 'Algorithm "none" is not allowed')
    end
  end

  describe "algorithm allowlist" do
    it "is the gem's default (HS256) when not given, and an empty one refuses everything" do
      expect { jwt.decode(good, rsa) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm,
                                                      "Expected a different algorithm")
      expect { jwt.decode(good, rsa, true, algorithms: []) }
        .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm, "An algorithm must be specified")
    end

    it "refuses a token whose alg is outside it" do
      expect { decode(good, algorithms: ["PS256"]) }
        .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm, "Expected a different algorithm")
      expect { decode(forge({ typ: "JWT" }, claims, "x")) }
        .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm, /missing alg/)
      expect { decode(forge({ alg: 256 }, claims, "x")) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
    end
  end

  describe "HMAC/RSA key confusion" do
    let(:pem) { rsa.public_key.to_pem }
    let(:forged) do
      input = "#{b64(JSON.generate(alg: 'HS256'))}.#{b64(JSON.generate(claims))}"
      "#{input}.#{b64(hs256(input, pem))}"
    end

    it "never uses an RSA public key (object or PEM) as an HMAC secret" do
      [rsa.public_key, pem, [rsa.public_key, pem]].each do |key|
        expect { decode(forged, key, algorithms: %w[RS256 HS256]) }
          .to raise_error(PipelineGuard::JWT::IncorrectAlgorithm, /RSA key cannot be used with HS256/)
      end
    end

    it "is the attack the jwt gem falls for with the same PEM and allowlist" do
      expect(JWT.decode(forged, pem, true, algorithms: %w[RS256 HS256]).first).to eq(claims)
    end

    # Whatever surrounds the PEM, the key is the public key, never a secret.
    ["\n", " \t", "\r\n\r\n", "garbage before "].each do |before|
      it "never uses a PEM with #{before.inspect} in front as an HMAC secret" do
        text = before + pem
        input = "#{b64(JSON.generate(alg: 'HS256'))}.#{b64(JSON.generate(claims))}"
        token = "#{input}.#{b64(hs256(input, text))}"
        expect { decode(token, text, algorithms: %w[RS256 HS256]) }.to raise_error(PipelineGuard::JWT::DecodeError)
        expect { PipelineGuard::JWT::Verifier.new(keys: text, algorithms: %w[RS256 HS256]).verify(token) }
          .to raise_error(PipelineGuard::JWT::DecodeError)
        expect { jwt.encode(claims, text, "HS256") }.to raise_error(PipelineGuard::JWT::DecodeError)
        expect do
          PipelineGuard::JWT::Signer.new(text, algorithm: "HS256")
        end.to raise_error(PipelineGuard::JWT::DecodeError)
        expect { PipelineGuard::JWT::VerifyingKey.hmac(text) }.to raise_error(PipelineGuard::JWT::JWKError)
        expect { PipelineGuard::JWT::SigningKey.hmac(text) }.to raise_error(PipelineGuard::JWT::JWKError)
      end
    end

    it "reads a PEM with leading blank lines as the public key it is" do
      expect(decode(good, "\n\n#{pem}").first).to eq(claims)
      expect(PipelineGuard::JWT::VerifyingKey.from("\n#{pem}").key_type).to eq("RSA")
    end

    it "refuses other public-key encodings as HMAC secrets" do
      ed = OpenSSL::PKey.generate_key("ED25519")
      [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE ci@example",
        JSON.generate(PipelineGuard::JWT::VerifyingKey.from(rsa.public_key).public_jwk),
        JSON.generate("keys" => [PipelineGuard::JWT::VerifyingKey.from(ec).public_jwk]),
        rsa.public_key.to_der, ed.public_to_der, Base64.strict_encode64(ec.public_to_der),
        Base64.encode64(rsa.public_key.to_der)
      ].each do |text|
        expect { decode(good, text, algorithms: %w[RS256 HS256]) }.to raise_error(PipelineGuard::JWT::JWKError)
        expect { jwt.encode(claims, text, "HS256") }.to raise_error(PipelineGuard::JWT::JWKError)
        expect { PipelineGuard::JWT::VerifyingKey.hmac(text, enforce_length: false) }
          .to raise_error(PipelineGuard::JWT::JWKError, /never an HMAC secret/)
      end
      # Secrets that merely start like DER or base64 DER stay secrets.
      ["0123456789abcdef0123456789abcdef", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "\x30" * 65].each do |ok|
        expect(jwt.decode(jwt.encode(claims, ok, "HS256"), ok, true, algorithms: ["HS256"]).first).to eq(claims)
      end
    end
  end

  describe "signatures" do
    it "rejects tampered, truncated, extended and empty signatures" do
      head, body, sig = good.split(".")
      raw = Base64.urlsafe_decode64(sig)
      flipped = raw.dup.tap { |r| r.setbyte(10, r.getbyte(10) ^ 1) }
      [flipped, raw[0..-2], raw[0, 128], "#{raw}\x00"].each do |bad|
        expect { decode("#{head}.#{body}.#{b64(bad)}") }.to raise_error(PipelineGuard::JWT::VerificationError)
      end
      # "h.p." has two segments for the gem (String#split)
      expect { decode("#{head}.#{body}.") }
        .to raise_error(PipelineGuard::JWT::DecodeError, "Not enough or too many segments")
      other_body = b64(JSON.generate(claims.merge("sub" => "admin")))
      expect { decode("#{head}.#{other_body}.#{sig}") }
        .to raise_error(PipelineGuard::JWT::VerificationError, "Signature verification failed")
    end

    it "rejects DER-encoded and out-of-range ECDSA signatures" do
      input = "#{b64(JSON.generate(alg: 'ES256'))}.#{b64(JSON.generate(claims))}"
      der = ec.sign("SHA256", input)
      n = ec.group.order.to_s(2).rjust(32, "\x00")
      one = "#{"\x00" * 31}\x01"
      [der, "\x00" * 64, n + one, one + n, "\xff".b * 64, ("\x00" * 32) + one].each do |sig|
        expect { decode("#{input}.#{b64(sig)}", ec, algorithms: ["ES256"]) }
          .to raise_error(PipelineGuard::JWT::VerificationError)
      end
      good_es = jwt.encode(claims, ec, "ES256")
      expect(decode(good_es, ec, algorithms: ["ES256"]).first).to eq(claims)
    end

    it "refuses keys of the wrong type or curve" do
      es = jwt.encode(claims, ec, "ES256")
      p384 = OpenSSL::PKey::EC.generate("secp384r1")
      expect { decode(es, p384, algorithms: ["ES256"]) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
      expect { decode(es, rsa, algorithms: ["ES256"]) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
      expect { decode(good, ec, algorithms: ["RS256"]) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
      expect { decode(good, secret, algorithms: ["RS256"]) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
      relabeled = forge({ alg: "ES384" }, claims, "x" * 96)
      expect { decode(relabeled, ec, algorithms: ["ES384"]) }.to raise_error(PipelineGuard::JWT::IncorrectAlgorithm)
      small = OpenSSL::PKey::RSA.new(1024)
      expect { decode(jwt.encode(claims, rsa, "RS256"), small) }.to raise_error(PipelineGuard::JWT::JWKError, /2048/)
    end

    it "refuses short HMAC secrets unless allowed" do
      token = JWT.encode(claims, "short", "HS256")
      expect { decode(token, "short", algorithms: ["HS256"]) }
        .to raise_error(PipelineGuard::JWT::DecodeError, /at least 32 bytes/)
      lax = PipelineGuard::JWT::VerifyingKey.hmac("short", enforce_length: false)
      expect(decode(token, lax, algorithms: ["HS256"]).first).to eq(claims)
      expect { decode(token, "", algorithms: ["HS256"]) }.to raise_error(PipelineGuard::JWT::JWKError)
    end
  end

  describe "hostile headers" do
    it "refuses crit, known or not" do
      expect { decode(forge({ alg: "RS256", crit: ["exp"], exp: 1 }, claims, "x")) }
        .to raise_error(PipelineGuard::JWT::InvalidCritError, /exp/)
      expect { decode(forge({ alg: "RS256", crit: [] }, claims, "x")) }
        .to raise_error(PipelineGuard::JWT::InvalidCritError)
      expect { decode(forge({ alg: "RS256", crit: "b64" }, claims, "x")) }
        .to raise_error(PipelineGuard::JWT::InvalidCritError)
    end

    %w[jwk jku x5u x5c].each do |name|
      it "refuses a #{name} header: keys never come from the token" do
        token = forge({ alg: "RS256", name => name == "x5c" ? ["MII"] : "https://evil.example/k" }, claims, "x")
        expect { decode(token) }.to raise_error(PipelineGuard::JWT::DecodeError, /keys are never taken/)
      end
    end

    it "refuses a non-string kid and duplicate members" do
      expect { decode(forge({ alg: "RS256", kid: 1 }, claims, "x")) }.to raise_error(PipelineGuard::JWT::DecodeError)
      dup = "#{b64('{"alg":"HS256","alg":"RS256"}')}.#{b64(JSON.generate(claims))}.eA"
      expect { decode(dup) }.to raise_error(PipelineGuard::JWT::DecodeError, /duplicate/)
    end
  end

  describe "malformed tokens" do
    it "raises Base64DecodeError for non-base64url segments" do
      head, body, sig = good.split(".")
      ["#{head}=.#{body}.#{sig}", "#{head}.#{body.tr('-_', '+/')}+.#{sig}", "#{head}.#{body}.#{sig}==",
       "#{head}.#{body} .#{sig}", "#{head}.#{body}.#{sig}*"].each do |token|
        expect { decode(token) }.to raise_error(PipelineGuard::JWT::Base64DecodeError)
      end
    end

    it "raises DecodeError for bad JSON, segment counts, encodings and types" do
      head, body, sig = good.split(".")
      ["#{b64('{')}.#{body}.#{sig}", "#{head}.#{b64('{"a":')}.#{sig}", "#{head}.#{body}", "#{good}.x", "", "..",
       "#{head}.#{body}.#{sig}\xff".b, "#{b64('[1]')}.#{body}.#{sig}"].each do |token|
        expect { decode(token) }.to raise_error(PipelineGuard::JWT::DecodeError)
      end
      expect { decode(nil) }.to raise_error(PipelineGuard::JWT::DecodeError, "Nil JSON web token")
      expect { decode(42) }.to raise_error(PipelineGuard::JWT::DecodeError)
    end

    it "raises InvalidPayload for payloads that are not JSON objects" do
      ["[1]", '"sub"', "123", "null", "true"].each do |payload|
        token = "#{b64(JSON.generate(alg: 'RS256'))}.#{b64(payload)}.eA"
        expect { decode(token) }.to raise_error(PipelineGuard::JWT::InvalidPayload)
      end
    end

    it "bounds token size and JSON nesting" do
      big = jwt.encode(claims.merge("pad" => "x" * 70_000), rsa, "RS256")
      expect { decode(big) }.to raise_error(PipelineGuard::JWT::DecodeError, /larger than 65536 bytes/)
      expect(decode(big, max_token_bytes: 200_000).first["pad"].size).to eq(70_000)
      deep = jwt.encode(claims.merge("deep" => JSON.parse(("[" * 40) + ("]" * 40))), rsa, "RS256")
      expect { decode(deep) }.to raise_error(PipelineGuard::JWT::DecodeError, /nesting/)
      huge_header = forge({ alg: "RS256", pad: "[" * 100_000 }, claims, "x")
      expect { decode(huge_header) }.to raise_error(PipelineGuard::JWT::DecodeError)
    end
  end

  describe "registered claims of the wrong type" do
    # Signed directly with OpenSSL: our encoders refuse such payloads.
    def signed(extra)
      input = "#{b64(JSON.generate(alg: 'RS256'))}.#{b64(JSON.generate(extra))}"
      "#{input}.#{b64(@rsa_key.sign('SHA256', input))}"
    end

    before { @rsa_key = rsa }

    it "raises the claim's own error instead of coercing" do
      expect { decode(signed("exp" => "9999999999")) }.to raise_error(PipelineGuard::JWT::ExpiredSignature)
      expect { decode(signed("exp" => nil)) }.to raise_error(PipelineGuard::JWT::ExpiredSignature)
      expect { decode(signed("nbf" => "abc")) }.to raise_error(PipelineGuard::JWT::ImmatureSignature)
      expect { decode(signed("nbf" => [1])) }.to raise_error(PipelineGuard::JWT::ImmatureSignature)
      expect { decode(signed("iat" => "1"), verify_iat: true) }.to raise_error(PipelineGuard::JWT::InvalidIatError)
      expect { decode(signed("iat" => Time.now.to_i + 60), verify_iat: true) }
        .to raise_error(PipelineGuard::JWT::InvalidIatError)
      expect { jwt.encode({ "exp" => "soon" }, secret, "HS256") }
        .to raise_error(PipelineGuard::JWT::InvalidPayload, "exp claim must be a Numeric value but it is a String")
    end
  end

  it "never raises anything but a DecodeError for mutated tokens" do
    rng = Random.new(7)
    alphabet = [*"A".."Z", *"a".."z", *"0".."9", "-", "_", ".", "=", "+", "/", "\x00", "é"]
    seen = Hash.new(0)
    2000.times do
      token = good.dup
      rng.rand(1..4).times do
        pos = rng.rand(token.size)
        case rng.rand(3)
        when 0 then token[pos] = alphabet.sample(random: rng)
        when 1 then token.slice!(pos, rng.rand(1..20))
        else token.insert(pos, alphabet.sample(random: rng))
        end
      end
      decode(token)
    rescue PipelineGuard::JWT::DecodeError => e
      seen[e.class] += 1
    end
    expect(seen.keys).to include(PipelineGuard::JWT::VerificationError, PipelineGuard::JWT::Base64DecodeError)
    expect(seen.values.sum).to be > 1900
  end
end

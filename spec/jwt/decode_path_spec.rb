# frozen_string_literal: true

# `decode` with a names-only allowlist and a String or OpenSSL key goes
# straight to the native side; allowlists holding algorithm objects, and
# keys or expectations the native side cannot use, keep the gem's order.
RSpec.describe "PipelineGuard::JWT.decode paths" do
  let(:jwt) { PipelineGuard::JWT }
  let(:secret) { "p" * 32 }
  let(:token) { jwt.encode({ "iss" => "gitlab", "exp" => Time.now.to_i + 60 }, secret, "HS256") }
  let(:custom) do
    Class.new do
      include PipelineGuard::JWT::JWA::SigningAlgorithm

      def initialize = @alg = "HS256"
      def sign(data:, signing_key:) = OpenSSL::HMAC.digest("SHA256", signing_key.to_s, data)
      def verify(data:, signature:, verification_key:) = sign(data:, signing_key: verification_key) == signature
    end
  end

  it "reads a names-only allowlist natively, with no Ruby allowlist resolution" do
    allow(jwt::JWA).to receive(:allowlist).and_call_original
    [{ algorithm: "HS256" }, { algorithms: ["hs256", :HS384] }, { "algorithm" => :HS256 }].each do |options|
      expect(jwt.decode(token, secret, true, options).first).to include("iss" => "gitlab")
    end
    rsa = OpenSSL::PKey::RSA.new(2048)
    rs = jwt.encode({ "a" => 1 }, rsa, "RS256")
    expect(jwt.decode(rs, rsa.public_key, true, algorithms: ["RS256"]).first).to eq("a" => 1)
    expect(jwt::JWA).not_to have_received(:allowlist)
  end

  it "returns nil from _decode for algorithm objects when asked, before reading keys or other options" do
    bits = jwt::ClaimChecks::ALGORITHM_OBJECTS
    [{ algorithm: custom.new }, { algorithms: ["HS256", custom.new] }, { algorithms: [jwt::JWA.resolve("HS256")] }]
      .each do |options|
        expect(jwt._decode(token, :not_a_key, options.merge(leeway: "soon"), nil, bits)).to be_nil
      end
    # Without the bit the options are read as before: an object is no name.
    expect { jwt._decode(token, nil, { algorithm: custom.new }, nil, 0) }
      .to raise_error(jwt::IncorrectAlgorithm, "An algorithm must be specified")
  end

  it "keeps entries that are neither names nor algorithm objects on the native path" do
    expect { jwt.decode(token, secret, true, algorithms: ["HS256", 42]) }
      .to raise_error(jwt::IncorrectAlgorithm, "An algorithm must be specified")
  end

  it "hands a key the native side refuses to a custom algorithm, as the gem does" do
    ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGp0d3Q= k"
    signed = jwt.encode({ "a" => 1 }, ssh, custom.new)
    expect(jwt.decode(signed, ssh, true, algorithm: custom.new).first).to eq("a" => 1)
    expect { jwt.decode(signed, ssh, true, algorithm: "HS256") }.to raise_error(jwt::DecodeError)
  end

  it "reports an unusable expectation with a custom algorithm in the gem's order" do
    signed = jwt.encode({ "iss" => "gitlab" }, secret, custom.new)
    expect(jwt.decode(signed, secret, true, algorithm: custom.new, iss: "gitlab", verify_iss: true).first)
      .to eq("iss" => "gitlab")
    expect { jwt.decode(token, secret, true, algorithm: "HS256", verify_iss: true) }
      .to raise_error(ArgumentError, /no iss/)
  end
end

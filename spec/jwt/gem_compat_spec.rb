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

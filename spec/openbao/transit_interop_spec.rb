# frozen_string_literal: true

# Both directions against a real OpenBao 2.7.2: OpenBao's ciphertexts decrypt
# here and ours decrypt in OpenBao, for plain, derived, convergent, rotated
# and associated-data cases, and a key made here moves into OpenBao through
# the transit import (BYOK) endpoint.
RSpec.describe "Keyring interop with OpenBao transit", :openbao do
  let(:bao) { OpenBaoServer.client }
  let(:b64) { ->(s) { s && Base64.strict_encode64(s) } }

  before do
    mounts = bao.get("sys/mounts")
    bao.post("sys/mounts/transit", type: "transit") unless mounts.key?("transit/") || mounts.dig("data", "transit/")
  end

  def create_key(name, **opts)
    bao.post("transit/keys/#{name}", type: "aes256-gcm96", exportable: true, **opts)
    bao.get("transit/export/encryption-key/#{name}")
  end

  def bao_encrypt(name, plaintext, context: nil, associated_data: nil)
    body = { plaintext: b64.call(plaintext) }
    body[:context] = b64.call(context) if context
    body[:associated_data] = b64.call(associated_data) if associated_data
    bao.post("transit/encrypt/#{name}", body).dig("data", "ciphertext")
  end

  def bao_decrypt(name, ciphertext, context: nil, associated_data: nil)
    body = { ciphertext: }
    body[:context] = b64.call(context) if context
    body[:associated_data] = b64.call(associated_data) if associated_data
    Base64.strict_decode64(bao.post("transit/decrypt/#{name}", body).dig("data", "plaintext"))
  end

  let(:samples) { ["", "x", "pässwörd", Random.new(7).bytes(4096), "a" * 70_000] }

  {
    "plain" => { options: {}, context: nil },
    "derived" => { options: { derived: true }, context: "project-42" },
    "convergent" => { options: { derived: true, convergent_encryption: true }, context: "project-42" }
  }.each do |kind, setup|
    it "agrees both ways for a #{kind} key, with and without associated data" do
      name = "interop-#{kind}-#{rand(1 << 30)}"
      export = create_key(name, **setup[:options])
      opts = setup[:options]
      convergent = opts.fetch(:convergent_encryption, false)
      # OpenBao seals convergent plaintexts under associated data too; this
      # keyring opts in to match it byte for byte.
      kr = PipelineGuard::Keyring.from_transit_export(export, derived: opts.fetch(:derived, false), convergent:,
                                                              openbao_compatible_convergent_aad: convergent)
      ctx = setup[:context]
      samples.each do |pt|
        [nil, "row:7"].each do |aad|
          theirs = bao_encrypt(name, pt, context: ctx, associated_data: aad)
          expect(kr.decrypt(theirs, context: ctx, associated_data: aad)).to eq(pt.b)
          ours = kr.encrypt(pt, context: ctx, associated_data: aad)
          expect(bao_decrypt(name, ours, context: ctx, associated_data: aad)).to eq(pt.b)
          expect(ours).to eq(theirs) if kind == "convergent"
        end
      end
    end
  end

  it "follows rotation and min_decryption_version like OpenBao" do
    name = "interop-rotated-#{rand(1 << 30)}"
    create_key(name)
    v1 = bao_encrypt(name, "one")
    bao.post("transit/keys/#{name}/rotate")
    bao.post("transit/keys/#{name}/rotate")
    kr = PipelineGuard::Keyring.from_transit_export(bao.get("transit/export/encryption-key/#{name}"))
    expect(kr.latest_version).to eq(3)
    expect(kr.decrypt(v1)).to eq("one")
    expect(bao_decrypt(name, kr.encrypt("three"))).to eq("three")
    expect(kr.encrypt("three")).to start_with("vault:v3:")

    bao.post("transit/keys/#{name}/config", min_decryption_version: 2)
    kr.min_decryption_version = 2
    expect { kr.decrypt(v1) }.to raise_error(PipelineGuard::DecryptionError, /too old/)
    expect { bao_decrypt(name, v1) }.to raise_error(PipelineGuard::OpenBao::ClientError, /too old/)
    rewrapped = kr.rewrap(kr.encrypt("two"))
    expect(bao_decrypt(name, rewrapped)).to eq("two")

    later = PipelineGuard::Keyring.from_transit_export(bao.get("transit/export/encryption-key/#{name}"))
    expect([later.min_decryption_version, later.latest_version]).to eq([2, 3])
  end

  it "moves a key made here into OpenBao through transit import" do
    name = "interop-byok-#{rand(1 << 30)}"
    kr = PipelineGuard::Keyring.generate
    ours = kr.encrypt("made here", associated_data: "aad")
    wrapping_key = bao.get("transit/wrapping_key").dig("data", "public_key")
    bao.post("transit/keys/#{name}/import", ciphertext: kr.to_transit_import(wrapping_key),
                                            type: "aes256-gcm96", exportable: true)
    expect(bao_decrypt(name, ours, associated_data: "aad")).to eq("made here")
    expect(kr.decrypt(bao_encrypt(name, "made there"))).to eq("made there")

    kr.rotate!
    bao.post("transit/keys/#{name}/import_version", ciphertext: kr.to_transit_import(wrapping_key))
    expect(bao_decrypt(name, kr.encrypt("v2"))).to eq("v2")
    expect(bao.get("transit/export/encryption-key/#{name}").dig("data", "keys").keys).to eq(%w[1 2])
  end

  it "rejects a wrapping key that is not an RSA public key" do
    expect { PipelineGuard::Keyring.generate.to_transit_import("not a pem") }
      .to raise_error(PipelineGuard::InvalidKeyError)
  end
end

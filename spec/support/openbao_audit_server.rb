# frozen_string_literal: true

require "socket"
require "timeout"
require "tmpdir"
require "fileutils"
require "pipeline_guard/openbao/client"

# A second OpenBao 2.7.2 dev server, with a `file` audit device declared in
# its config file (OpenBao 2.x refuses audit devices enabled through the
# API), for the specs that read audit entries. Stops exactly the process it
# started.
module OpenBaoAuditServer
  ROOT_TOKEN = "root"

  class << self
    attr_reader :address, :audit_path

    def client(namespace: nil)
      start
      PipelineGuard::OpenBao::Client.new(address: @address, token: ROOT_TOKEN, namespace:)
    end

    def start
      return if @pid

      @dir = Dir.mktmpdir("pipeline_guard-bao-audit")
      @audit_path = File.join(@dir, "audit.log")
      config = File.join(@dir, "bao.hcl")
      File.write(config, <<~HCL)
        audit "file" "file" {
          options {
            file_path = "#{@audit_path}"
          }
        }
      HCL
      port = free_port
      @address = "http://127.0.0.1:#{port}"
      @log = File.join(@dir, "server.log")
      @pid = Process.spawn(OpenBaoServer.binary, "server", "-dev", "-dev-root-token-id=#{ROOT_TOKEN}",
                           "-dev-listen-address=127.0.0.1:#{port}", "-config=#{config}",
                           out: @log, err: @log, pgroup: true)
      wait_until_ready
    end

    # The audit file's bytes from `offset` on.
    def audit_text(offset = 0)
      File.open(@audit_path, "rb") do |f|
        f.seek(offset)
        f.read
      end
    end

    def audit_size = File.exist?(@audit_path) ? File.size(@audit_path) : 0

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
      FileUtils.rm_rf(@dir) if @dir
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
  config.after(:suite) { OpenBaoAuditServer.stop }
end

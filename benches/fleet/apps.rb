# frozen_string_literal: true

require "json"
require "net/http"
require "openssl"
require "rbconfig"
require "fileutils"

module Fleet
  # Example-app processes (WEBrick, one per port) sharing one SQLite file
  # and one ID-token signing key, every one given all the OpenBao nodes.
  class Apps
    APP = File.expand_path("../../examples/secrets_manager", __dir__)
    FIXTURES = File.join(APP, "spec/fixtures/gitlab_graphql")
    # SQLite's busy wait (sqlite3 gem 1.x under Rails 6.1) holds the GVL: a
    # request waiting for another process's write lock stops every thread
    # of its own process, including one that holds a lock and waits for
    # OpenBao. A short wait bounds that stall; the request then fails.
    SQLITE_BUSY_MS = 2000

    Server = Struct.new(:index, :port, :pid, :log)

    attr_reader :servers, :seed

    def initialize(dir:, count:, cluster:)
      @dir = dir
      @cluster = cluster
      @servers = Array.new(count) { |i| Server.new(i, Cluster.free_port, nil, File.join(dir, "app#{i}.log")) }
      key = File.join(dir, "signing.pem")
      File.write(key, OpenSSL::PKey::RSA.new(2048).to_pem, perm: 0o600)
      @env = { "SECRETS_MANAGER_DATABASE_URL" => "sqlite3:#{File.join(dir, 'app.sqlite3')}?timeout=#{SQLITE_BUSY_MS}",
               "RAILS_ENV" => "development", "SECRETS_MANAGER_SIGNING_KEY_FILE" => key,
               "BAO_ADDR" => cluster.urls.first, "BAO_ADDRS" => cluster.urls.drop(1).join(","),
               "BAO_TOKEN" => cluster.root_token }
    end

    def start(timeout: 120)
      @seed = JSON.parse(in_app('load "db/seeds.rb"').lines.last)
      @servers.each do |s|
        s.pid = Process.spawn(@env.merge("SECRETS_MANAGER_LOG" => s.log), RbConfig.ruby, "-S", "rackup", "-s",
                              "webrick", "-o", "127.0.0.1", "-p", s.port.to_s, "config.ru",
                              chdir: APP, out: File::NULL, err: [s.log, "a"], pgroup: true)
      end
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
      @servers.each { |s| wait_up(s, deadline) }
      self
    end

    def stop
      @servers.each do |s|
        next unless s.pid

        begin
          Process.kill("TERM", s.pid)
          Process.wait(s.pid)
        rescue Errno::ESRCH, Errno::ECHILD
          nil
        end
        s.pid = nil
      end
    end

    # Ruby inside the app (same database and environment); its stdout.
    def in_app(code)
      out = IO.popen(@env, [RbConfig.ruby, "-e", "require './config/environment'; #{code}"], chdir: APP, &:read)
      raise "in-app step failed: #{code[0, 60]}" unless $CHILD_STATUS.success?

      out
    end

    def token(user) = @seed.dig("users", user, "token")
    def user_id(user) = @seed.dig("users", user, "id")
    def project_path = @seed.dig("project", "full_path")
    def project_id = @seed.dig("project", "id")

    # One HTTP session to one app process (not thread-safe: one per thread).
    class Session
      def initialize(port)
        @http = Net::HTTP.new("127.0.0.1", port)
        @http.open_timeout = 5
        @http.read_timeout = 30
      end

      def call(req, token)
        req["Authorization"] = "Bearer #{token}" if token
        @http.start unless @http.started?
        res = @http.request(req)
        [res.code.to_i, res.body.to_s.empty? ? {} : JSON.parse(res.body)]
      rescue SystemCallError, IOError, Net::OpenTimeout, Net::ReadTimeout, JSON::ParserError => e
        @http.finish if @http.started?
        [0, { "error" => e.class.name }]
      end

      def post(path, body, token)
        req = Net::HTTP::Post.new(path, "Content-Type" => "application/json")
        req.body = JSON.generate(body)
        call(req, token)
      end

      def get(path, token) = call(Net::HTTP::Get.new(path), token)

      def gql(query, token, variables = {}) = post("/api/graphql", { query:, variables: }, token)[1]

      # GitLab's own frontend document `name`, as its UI sends it.
      def gitlab(name, token, **variables)
        @documents ||= {}
        gql(@documents[name] ||= File.read(File.join(FIXTURES, name)), token, variables)
      end
    end

    def session(index) = Session.new(@servers[index % @servers.size].port)

    private

    def wait_up(server, deadline)
      session = Session.new(server.port)
      until session.get("/-/jwks", nil).first == 200
        if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
          raise "app #{server.index} did not start; see #{server.log}"
        end
        raise "app #{server.index} exited; see #{server.log}" if Process.wait(server.pid, Process::WNOHANG)

        sleep 0.3
      end
    end
  end
end

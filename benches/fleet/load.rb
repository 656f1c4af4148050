# frozen_string_literal: true

require "securerandom"
require "uri"
# GitLab Runner's side of a pipeline fetch (module Runner).
load File.expand_path("../../examples/secrets_manager/bin/runner", __dir__) unless defined?(Runner)

module Fleet
  # Latency samples of every app request: [seconds since start, kind, ms, ok].
  class Recorder
    def initialize(start)
      @start = start
      @samples = []
      @errors = Hash.new(0)
      @lock = Mutex.new
    end

    def now = Process.clock_gettime(Process::CLOCK_MONOTONIC) - @start

    # The block answers true (success) or an error text.
    def time(kind)
      t = now
      result = yield
      ok = result == true
      @lock.synchronize do
        @samples << [t, kind, (now - t) * 1000.0, ok]
        @errors[[kind, result.to_s[0, 100]]] += 1 unless ok
      end
      ok
    end

    def samples = @lock.synchronize { @samples.dup }

    # [[kind, error text, count], ...], most frequent first.
    def errors = @lock.synchronize { @errors.map { |(k, e), n| [k, e, n] }.sort_by { |r| -r[2] } }
  end

  # Pipeline secrets created before the load: [name, value, environment, branch].
  PIPELINE_SECRETS = [%w[API_KEY k-fleet-123 * *], %w[DATABASE_URL postgres://db/prod production main],
                      %w[SIGNING_KEY s-fleet-789 * release/*]].freeze

  # The load: GraphQL secret writes, permission changes and runner-style
  # pipeline secret fetches, each thread on its own app process in turn.
  class Load
    # name => { value: last acked value (nil: create never acked), later: values sent after it, not acked }
    attr_reader :written, :counts, :wrong_reads
    attr_accessor :deadline

    def initialize(apps:, recorder:, deadline:, writers: 2, fetchers: 2, secrets_per_writer: 6)
      @apps = apps
      @rec = recorder
      @deadline = deadline
      @writers = writers
      @fetchers = fetchers
      @secrets_per_writer = secrets_per_writer
      @written = {}
      @counts = Hash.new(0)
      @wrong_reads = []
      @lock = Mutex.new
    end

    def threads
      Array.new(@writers) { |i| Thread.new { worker(:writer) { writer(i) } } } +
        Array.new(@fetchers) { |i| Thread.new { worker(:fetcher) { fetcher(i) } } } +
        [Thread.new { worker(:permissions) { permissions } }]
    end

    private

    def running? = Process.clock_gettime(Process::CLOCK_MONOTONIC) < @deadline
    def count(key, by = 1) = @lock.synchronize { @counts[key] += by }
    def owner = @apps.token("olivia_owner")
    def path = @apps.project_path

    def record(name, value, acked)
      @lock.synchronize do
        entry = (@written[name] ||= { value: nil, later: [] })
        acked ? entry.merge!(value:, later: []) : entry[:later] << value
      end
    end

    # true, or what went wrong.
    def mutation_ok?(res, key)
      return "no answer" unless res.is_a?(Hash)
      return res["errors"].map { |e| e["message"] }.join("; ") if res["errors"]
      return res["error"].to_s if res["error"]
      return "no #{key}" unless res.dig("data", key).is_a?(Hash)

      errors = Array(res.dig("data", key, "errors"))
      errors.empty? || errors.join("; ")
    end

    def http_ok?(code, body, expected)
      code == expected || "HTTP #{code} #{body['error'] || body['message']}"
    end

    # A worker that meets a bug in this driver stops with the error on
    # record instead of ending the run.
    def worker(name)
      yield
    rescue StandardError => e
      @lock.synchronize { @counts[:"#{name}_crashed"] += 1 }
      warn "fleet: #{name} thread stopped: #{e.class}: #{e.message[0, 200]}"
    end

    def writer(thread)
      names = []
      attempts = 0
      turn = thread
      while running?
        session = @apps.session(turn += 1)
        if names.size < @secrets_per_writer && attempts < 3 * @secrets_per_writer
          name = "FLEET_#{thread}_#{attempts += 1}" # a new name: a create that failed may have left a record
          names << name if write(session, :create, name)
        elsif names.empty?
          break
        else
          write(session, :update, names[turn % names.size])
        end
      end
    end

    def write(session, kind, name)
      value = "v-#{SecureRandom.hex(8)}"
      vars = { fullPath: path, name:, description: "fleet", secret: value, branch: "fleet-only", environment: "*" }
      acked = @rec.time(:write) do
        if kind == :create
          mutation_ok?(session.gitlab("create_project_secret.mutation.graphql", owner, **vars), "secretCreate")
        else
          update(session, name, vars)
        end
      end
      record(name, value, acked)
      count(acked ? :writes_acked : :writes_failed)
      acked
    end

    def update(session, name, vars)
      version = session.gql(%({ projectSecret(projectPath: "#{path}", name: "#{name}") { metadataVersion } }),
                            owner).dig("data", "projectSecret", "metadataVersion")
      return "no metadataVersion" unless version

      res = session.gitlab("update_project_secret.mutation.graphql", owner, **vars, metadataVersion: version)
      mutation_ok?(res, "secretUpdate")
    end

    # Grants and revokes on a role and a user, GitLab's permission documents.
    def permissions
      dana = @apps.user_id("dana_developer")
      principals = [{ type: "ROLE", id: 20 }, { type: "USER", id: dana }, { type: "ROLE", id: 30 }]
      choices = [%w[READ], %w[READ READ_VALUE], %w[READ WRITE], %w[READ READ_VALUE WRITE DELETE]]
      turn = 0
      while running?
        session = @apps.session(turn += 1)
        principal = principals[turn % principals.size]
        ok = @rec.time(:permission) do
          if (turn % 4).zero?
            res = session.gitlab("delete_secrets_permission.mutation.graphql", owner, fullPath: path, principal:)
            mutation_ok?(res, "secretsPermissionDelete")
          else
            mutation_ok?(session.gitlab("create_secrets_permission.mutation.graphql", owner,
                                        fullPath: path, principal:, actions: choices[turn % choices.size]),
                         "secretsPermissionUpdate")
          end
        end
        count(ok ? :permission_changes : :permission_failed)
      end
    end

    # A pipeline created on one process, its jobs taken by the runner from
    # the next, their secrets fetched from the one after.
    def fetcher(thread)
      turn = thread
      while running?
        status = @rec.time(:pipeline) do
          code, body = @apps.session(turn += 1).post("/api/v4/projects/#{@apps.project_id}/pipelines",
                                                     { ref: "main" }, @apps.token("max_maintainer"))
          http_ok?(code, body, 201)
        end
        count(status ? :pipelines : :pipelines_failed)
        run_jobs(turn += 1)
      end
    end

    def run_jobs(turn)
      while running?
        code = job = nil
        @rec.time(:job_request) do
          code, job = @apps.session(turn += 1).post("/api/v4/jobs/request", { token: @apps.seed["runner_token"] }, nil)
          [201, 204].include?(code) || http_ok?(code, job, 201)
        end
        return unless code == 201

        fetch(@apps.session(turn += 1), job)
      end
    end

    # As GitLab Runner does (examples/secrets_manager/bin/runner): log in to
    # OpenBao with the job's ID token (inline auth) and read each secret;
    # the app never reads a value in OpenBao mode.
    def fetch(_session, job)
      resolved = nil
      ok = @rec.time(:fetch) do
        # A job may declare secrets its scopes do not reach (OpenBao refuses
        # those reads, as it should); a fetch counts as answered when OpenBao
        # answered without a server error, and every value it gave must be
        # the right one.
        resolved, refused = Runner.resolve(job)
        refused.values.none? { |error| error.start_with?("HTTP 5") }
      rescue SystemCallError, IOError, Timeout::Error
        # The runner talks to one OpenBao address (the payload's); while
        # that node is down its fetches fail, as a real runner's would.
        false
      end
      count(ok ? :reads : :reads_failed)
      check(job, resolved.to_h)
    end

    def check(job, values)
      expected = PIPELINE_SECRETS.to_h { |name, value, *| [name, value] }
      values.to_h.each do |name, value|
        next if expected[name] == value

        @lock.synchronize { @wrong_reads << { job: job.dig("job_info", "name"), name:, got_length: value.to_s.size } }
      end
    end
  end
end

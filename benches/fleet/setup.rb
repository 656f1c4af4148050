# frozen_string_literal: true

module Fleet
  # Provisions the project through the app's API only (GraphQL), so it does
  # not depend on how the app talks to OpenBao: the owner enables the
  # secrets manager and creates the secrets pipelines read.
  class Setup
    def initialize(apps)
      @apps = apps
    end

    def run(timeout: 60)
      session = @apps.session(0)
      owner = @apps.token("olivia_owner")
      path = @apps.project_path
      res = session.gitlab("enable_secret_manager.mutation.graphql", owner, fullPath: path)
      raise "enabling the secrets manager failed: #{res}" if res["errors"]

      wait_active(session, owner, path, timeout)
      PIPELINE_SECRETS.each do |name, secret, environment, branch|
        vars = { fullPath: path, name:, secret:, description: "pipeline", environment:, branch: }
        res = session.gitlab("create_project_secret.mutation.graphql", owner, **vars)
        raise "creating #{name} failed: #{res['errors'] || res.dig('data', 'secretCreate', 'errors')}" unless
          res.dig("data", "secretCreate", "projectSecret")
      end
    end

    private

    def wait_active(session, owner, path, timeout)
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
      loop do
        status = session.gitlab("get_project_secret_manager_status.query.graphql", owner, fullPath: path)
        return if status.dig("data", "secretsManager", "status") == "ACTIVE"
        raise "secrets manager not ACTIVE: #{status}" if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

        sleep 0.25
      end
    end
  end
end

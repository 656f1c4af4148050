# frozen_string_literal: true

require "declarative_policy"

# The baselines of the app_graphql scenario: the same example app, the same
# request, with the GraphQL authorizer swapped for one that checks every
# list item on its own, the way GitLab does:
# - DeclarativePolicy: GitLab's ProjectPolicy rule for read_project_secrets
#   (Reporter and an active secrets manager) and, per secret, a SecretPolicy
#   that delegates to the project and looks for a stored grant the user's
#   principals hold (user, member role, exact role; Owners always), with a
#   per-request DeclarativePolicy cache as GitLab's RequestStore gives it;
# - OpenBao: the project rule as above, then per secret a `sys/capabilities`
#   round trip for a token holding the user's policies in the project's
#   namespace ("read" on the secret's metadata path).
# The swap happens in the bench process only (Authz::GraphqlAuthorizer.new
# answers the authorizer of the current thread when one is set).
module BenchAuthorizers
  def self.install
    Authz::GraphqlAuthorizer.singleton_class.prepend(Switch)
  end

  module Switch
    def new(*args)
      Thread.current[:bench_authorizer] || super
    end
  end

  def self.with(authorizer)
    previous = Thread.current[:bench_authorizer]
    Thread.current[:bench_authorizer] = authorizer
    yield
  ensure
    Thread.current[:bench_authorizer] = previous
  end

  # What the per-secret checks need of a user on a project, computed in
  # Ruby from the memberships (GitLab's max_member_access) and cached per
  # request in the DeclarativePolicy cache.
  module Facts
    module_function

    def level(user, project, cache)
      cache[[:bench_level, user.id, project.id]] ||= live(user, project).map(&:access_level).max.to_i
    end

    def member_role_id(user, project, cache)
      cache[[:bench_member_role, user.id, project.id]] ||=
        live(user, project).select(&:member_role_id).max_by { |m| m.path.length }&.member_role_id || 0
    end

    # The user's unexpired memberships on the project or a group above it.
    def live(user, project)
      now = Time.now
      user.memberships.select { |m| m.active?(now) && covers?(m.path, project.full_path) }
    end

    # The project's live grants: [principal_type, principal_id, actions].
    def grants(project, cache)
      cache[[:bench_grants, project.id]] ||= begin
        now = Time.now
        project.secrets_permissions.where(principal_type: BaseSecretsPermission::VALID_PRINCIPAL_TYPES)
               .reject { |p| p.expired?(now) }.map { |p| [p.principal_type, p.principal_id, p.actions] }
      end
    end

    def covers?(path, full_path) = full_path == path || full_path.start_with?("#{path}/")
  end

  # The per-request cache and the user of a query, for policies and checks.
  class Base
    def authorized?(context, ability, subject) = authorized_many(context, ability, [subject]).first

    def authorized_many(context, ability, subjects)
      user = context[:current_user]
      return Array.new(subjects.size, false) if user.nil? || user.blocked

      cache = (context[:bench_policy_cache] ||= {})
      subjects.map { |subject| check(user, ability, subject, cache) }
    end

    private

    def project_rule(user, ability, subject, cache)
      return false unless subject.is_a?(Project) # a path of a missing project

      DeclarativePolicy.policy_for(user, subject, cache:).allowed?(ability)
    end
  end

  class DeclarativePolicyAuthorizer < Base
    private

    def check(user, ability, subject, cache)
      return project_rule(user, ability, subject, cache) unless subject.is_a?(Secret)

      DeclarativePolicy.policy_for(user, subject, cache:).allowed?(ability)
    end
  end

  class OpenBaoAuthorizer < Base
    # tokens: { project_id => [namespaced client, token] }
    def initialize(tokens)
      super()
      @tokens = tokens
    end

    private

    def check(user, ability, subject, cache)
      return project_rule(user, ability, subject, cache) unless subject.is_a?(Secret)
      raise ArgumentError, "no OpenBao check for #{ability}" unless ability == :read_secret

      client, token = @tokens.fetch(subject.project_id)
      path = "secrets/kv/metadata/explicit/#{subject.name}"
      caps = client.post("sys/capabilities", { "token" => token, "paths" => [path] }).dig("data", path)
      Array(caps).intersect?(%w[read root])
    end
  end

  # Allows everything: the request's cost without any authorization, the
  # floor every authorizer adds to.
  class AllowAll
    def authorized?(*) = true
    def authorized_many(_context, _ability, subjects) = Array.new(subjects.size, true)
  end

  # Sums the seconds spent in an authorizer (both sides wrapped alike).
  class Timed
    attr_reader :seconds

    def initialize(inner)
      @inner = inner
      @seconds = 0.0
    end

    def authorized?(*args) = time { @inner.authorized?(*args) }
    def authorized_many(*args) = time { @inner.authorized_many(*args) }

    private

    def time
      t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      yield
    ensure
      @seconds += Process.clock_gettime(Process::CLOCK_MONOTONIC) - t
    end
  end
end

# GitLab's ProjectPolicy rules the secrets list needs.
class ProjectPolicy < DeclarativePolicy::Base
  condition(:reporter_access) { BenchAuthorizers::Facts.level(@user, @subject, @cache) >= Membership::REPORTER }
  condition(:owner_access) { BenchAuthorizers::Facts.level(@user, @subject, @cache) >= Membership::OWNER }
  condition(:secrets_manager_active, scope: :subject) { @subject.secrets_manager&.active? }

  rule { reporter_access & secrets_manager_active }.enable :read_project_secrets
  rule { owner_access }.enable :owner_access
end

# A secret: the project's rules, then the grants of the user's principals.
class SecretPolicy < DeclarativePolicy::Base
  delegate { @subject.project }

  condition(:read_granted) do
    facts = BenchAuthorizers::Facts
    project = @subject.project
    level = facts.level(@user, project, @cache)
    member_role = facts.member_role_id(@user, project, @cache)
    facts.grants(project, @cache).any? do |type, id, actions|
      next false unless actions.include?("read")

      (type == "User" && id == @user.id) || (type == "MemberRole" && id == member_role) ||
        (type == "Role" && id == level)
    end
  end

  rule { can?(:read_project_secrets) & (can?(:owner_access) | read_granted) }.enable :read_secret
end

# frozen_string_literal: true

require "declarative_policy"
require "pipeline_guard"

# The RBAC fixtures the rbac and scaling areas share: the gem's model and a
# GitLab-like declarative_policy over memberships held as a Rails app holds them.
module BenchRBAC
  BenchUser = Struct.new(:id)
  BenchProject = Struct.new(:full_path, :memberships)
  PATH = "group/sub/project"

  # user id => { path => level }, inherited down the path.
  class MembershipIndex
    def initialize
      @by_user = Hash.new { |h, k| h[k] = {} }
    end

    def add(user_id, path, level)
      @by_user[user_id][path] = level
    end

    def level(user_id, path)
      paths = @by_user.fetch(user_id, nil)
      return 0 unless paths

      best = 0
      prefix = +""
      path.split("/").each do |segment|
        prefix << "/" unless prefix.empty?
        prefix << segment
        level = paths[prefix]
        best = level if level && level > best
      end
      best
    end
  end

  # Abilities enabled by the membership access level (found by name for BenchProject).
  class BenchProjectPolicy < DeclarativePolicy::Base
    condition(:reporter) { access_level >= 20 }
    condition(:owner) { access_level >= 50 }
    rule { reporter }.enable :read_secret
    rule { owner }.enable :admin_project_secrets_manager

    def access_level
      @access_level ||= @subject.memberships.level(@user.id, @subject.full_path)
    end
  end

  module_function

  # `memberships` users with one membership each, plus user 42 (developer on group/sub).
  def build(memberships, index: true)
    rbac = PipelineGuard::RBAC::Model.new
    idx = MembershipIndex.new
    memberships.times do |i|
      path = "group#{i % 1000}/sub#{i % 7}"
      rbac.add_membership(i + 100, path, access_level: 20)
      idx.add(i + 100, path, 20) if index
    end
    rbac.add_membership(42, "group/sub", access_level: :developer)
    idx.add(42, "group/sub", 30)
    [rbac, idx]
  end

  def dp_check(index, path = PATH)
    DeclarativePolicy.policy_for(BenchUser.new(42), BenchProject.new(path, index)).allowed?(:read_secret)
  end
end
